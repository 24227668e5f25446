// `setup-temporal`: registers our search attributes (PleoCompanyId, PleoExportJobId, PleoExportOutcome)
// on the namespace, once; a deployment's setup step (docker-compose runs it before the worker starts).
import type { Command } from 'commander';
import type { AppConfig } from '../../config/schema';
import { SEARCH_ATTRIBUTES } from '../../shared/workflow-api';
import type { CliContext } from '../context';

export function registerSetupTemporal(program: Command, ctx: CliContext): void {
  program
    .command('setup-temporal')
    .description(
      'Register the search attributes PleoCompanyId, PleoExportJobId, PleoExportOutcome on the namespace (idempotent)',
    )
    .action(async () => {
      const added = await ensureSearchAttributes(ctx.config());
      ctx.emit(
        { added },
        added.length ? `registered ${added.join(', ')}` : 'search attributes already registered',
      );
    });
}

/** Adds the search attributes the namespace lacks; returns the names added. */
export async function ensureSearchAttributes(config: AppConfig): Promise<string[]> {
  // Loaded here, not for `--help`: the Temporal client and its protobuf types are large.
  const { Connection } = await import('@temporalio/client');
  const { temporal } = await import('@temporalio/proto');
  const { connectOptions } = await import('../../temporal/connection');
  const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  const { namespace, connectionOptions } = connectOptions(config.temporal);
  const connection = await Connection.connect(connectionOptions);
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.map((sa) => sa.name).filter((name) => !customAttributes?.[name]);
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
      });
    }
    return missing;
  } finally {
    await connection.close();
  }
}
