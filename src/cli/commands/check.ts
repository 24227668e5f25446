// `check-config` and `doctor`.
import type { Command } from 'commander';
import { ConfigError, isConfigOverride } from '../../config/load';
import type { Finding } from '../check-config';
import type { CliContext } from '../context';

/** Defaults alone configure no company: "configuration OK" would mislead an operator who forgot --config. */
function nothingConfigured(ctx: CliContext): Finding[] | undefined {
  const fromEnv = Object.keys(ctx.io.env).some((name) => isConfigOverride(name));
  if (!ctx.configFile && !fromEnv)
    return [
      {
        key: '(configuration)',
        message: 'no configuration found: give --config <file> or set PLEO_EXPORT_CONFIG',
      },
    ];
  if (ctx.config().companies.length === 0)
    return [{ key: 'companies', message: 'no company is configured, so nothing would be exported' }];
  return undefined;
}

export function registerChecks(program: Command, ctx: CliContext): void {
  program
    .command('check-config')
    .description(
      "Validate the configuration, incl. that referenced accounts, tax codes and vendors exist in each company's accounting system",
    )
    .action(async () => {
      const { checkConfig, formatFinding } = await import('../check-config');
      let findings: Finding[];
      try {
        findings = nothingConfigured(ctx) ?? (await checkConfig(ctx.config(), ctx.logger));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        findings =
          err.issues.length > 0
            ? err.issues.map((i) => ({ key: i.path, message: i.message }))
            : [{ key: '(file)', message: err.message }];
      }
      ctx.emit(
        { ok: findings.length === 0, findings },
        findings.length === 0 ? 'configuration OK' : findings.map(formatFinding),
      );
      if (findings.length > 0) ctx.exitCode = 1;
    });

  program
    .command('setup-temporal')
    .description(
      'Register the search attributes PleoCompanyId, PleoExportJobId, PleoExportOutcome on the namespace (idempotent)',
    )
    .action(async () => {
      const { ensureSearchAttributes } = await import('../search-attributes');
      const added = await ensureSearchAttributes(ctx.config());
      ctx.emit(
        { added },
        added.length ? `registered ${added.join(', ')}` : 'search attributes already registered',
      );
    });

  program
    .command('doctor')
    .description('Check reachability and credentials of Temporal, Pleo and each accounting system')
    .action(async () => {
      const { doctor } = await import('../doctor');
      const checks = await doctor(ctx.config(), ctx.logger);
      ctx.emit(
        { ok: checks.every((c) => c.ok), checks },
        checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.part}: ${c.message}`),
      );
      if (!checks.every((c) => c.ok)) ctx.exitCode = 1;
    });
}
