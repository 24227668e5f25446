// `doctor`: can this deployment reach and use everything it depends on? Temporal (and our search
// attributes), each company's Pleo credential and each company's accounting system, with an actionable
// message for every failure. The Temporal client, the Pleo client and the adapters load when a check
// runs, not for `--help`.
import type { Command } from 'commander';
import type { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppConfig, CompanyConfig } from '../../config/schema';
import { companyLabel } from '../../config/load';
import { SEARCH_ATTRIBUTES } from '../../shared/workflow-api';
import { pleoEndpoints } from '../../pleo/config';
import { PleoApiError } from '../../pleo/errors';
import type { CliContext } from '../context';

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('Check reachability and credentials of Temporal, Pleo and each accounting system')
    .action(async () => {
      const checks = await doctor(ctx.config(), ctx.logger);
      ctx.emit(
        { ok: checks.every((c) => c.ok), checks },
        checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.part}: ${c.message}`),
      );
      if (!checks.every((c) => c.ok)) ctx.exitCode = 1;
    });
}

export interface Check {
  part: string;
  ok: boolean;
  message: string;
}

const CONNECT_TIMEOUT = '5 seconds';

export async function checkTemporal(config: AppConfig): Promise<Check[]> {
  const { Connection } = await import('@temporalio/client');
  const { connectOptions } = await import('../../temporal/connection');
  const { namespace, connectionOptions } = connectOptions(config.temporal);
  const part = `Temporal ${connectionOptions.address} (namespace ${namespace})`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: CONNECT_TIMEOUT });
  } catch (err) {
    return [
      {
        part,
        ok: false,
        message: `unreachable (${(err as Error).message.split('\n')[0]}): start it (\`temporal server start-dev\`, docker compose up) or point TEMPORAL_ADDRESS / temporal.address at your cluster`,
      },
    ];
  }
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((sa) => !customAttributes?.[sa.name]);
    if (missing.length > 0) {
      return [
        {
          part,
          ok: false,
          message: `search attributes missing: ${missing.map((sa) => sa.name).join(', ')}: run \`pleo-export setup-temporal\` (or \`temporal operator search-attribute create --namespace ${namespace} --name <Name> --type Keyword\` for each)`,
        },
      ];
    }
    return [{ part, ok: true, message: 'reachable; search attributes registered' }];
  } catch (err) {
    return [
      {
        part,
        ok: false,
        message: `reachable but refused our calls (${(err as Error).message}): check TEMPORAL_API_KEY / TLS settings and the namespace`,
      },
    ];
  } finally {
    await connection.close();
  }
}

function pleoAdvice(err: unknown, baseUrl: string, companyId: string): string {
  if (!(err instanceof PleoApiError)) return (err as Error).message;
  switch (err.kind) {
    case 'network':
    case 'timeout':
    case 'unavailable':
      return `Pleo at ${baseUrl} is unreachable (${err.message}): check pleo.baseUrl / pleo.environment and the network`;
    case 'unauthenticated':
      return `Pleo refused the credential: create a new API key or run \`pleo-export connect --company ${companyId}\` again`;
    case 'reconnect_required':
      return `${err.message}: run \`pleo-export connect --oauth --company ${companyId}\``;
    default:
      return err.message;
  }
}

export async function checkPleo(config: AppConfig, company: CompanyConfig, logger: Logger): Promise<Check> {
  const part = `Pleo for ${companyLabel(company.name, company.pleoCompanyId)}`;
  const { baseUrl } = pleoEndpoints(config.pleo);
  try {
    const { PleoClient } = await import('../../pleo/client');
    const { pleoAuthFor } = await import('../../connections/from-config');
    const pleo = new PleoClient({
      baseUrl,
      auth: await pleoAuthFor(config, company),
      logger,
      timeoutMs: 10_000,
    });
    const credential = await pleo.installation.activateCredential({
      expectedCompanyId: company.pleoCompanyId,
    });
    return {
      part,
      ok: true,
      message: `credential valid (${credential.authMethod}, scopes ${credential.scopesVerified ? 'checked' : 'not reported'})`,
    };
  } catch (err) {
    return { part, ok: false, message: pleoAdvice(err, baseUrl, company.pleoCompanyId) };
  }
}

export async function checkAccountingSystem(company: CompanyConfig, logger: Logger): Promise<Check> {
  const part = `${company.accountingSystem.type} for ${companyLabel(company.name, company.pleoCompanyId)}`;
  try {
    const { createAccountingSystem } = await import('../../accounting-systems/registry');
    const system = await createAccountingSystem(company.accountingSystem, { logger });
    try {
      const ready = await system.checkReady({ vendorBasedBookkeeping: false });
      return ready.ok
        ? { part, ok: true, message: 'reachable and ready' }
        : { part, ok: false, message: `${ready.reasonType}: ${ready.message}` };
    } finally {
      await system.close();
    }
  } catch (err) {
    return { part, ok: false, message: `cannot connect: ${(err as Error).message}` };
  }
}

export async function doctor(config: AppConfig, logger: Logger): Promise<Check[]> {
  const checks = await checkTemporal(config);
  for (const company of config.companies) {
    checks.push(await checkPleo(config, company, logger), await checkAccountingSystem(company, logger));
  }
  return checks;
}
