// `setup-temporal`: registers our search attributes (PleoCompanyId, PleoExportJobId, PleoExportOutcome)
// on the namespace, once; a deployment's setup step (docker-compose runs it before the worker starts).
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { AppConfig } from '../config/schema';
import { connectOptions } from '../temporal/connection';
import { SEARCH_ATTRIBUTES } from '../shared/workflow-api';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Adds the search attributes the namespace lacks; returns the names added. */
export async function ensureSearchAttributes(config: AppConfig): Promise<string[]> {
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
