// `connect xero`: the Xero side of a company's connection (see ../connect-xero.ts), loaded when it runs.
import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerConnectXero(connect: Command, ctx: CliContext): void {
  connect
    .command('xero')
    .description(
      'Sign in to Xero for a configured company and choose its organisation (stores the tokens encrypted)',
    )
    .option('--company <id>', 'the Pleo company whose accountingSystem is Xero')
    .option('--tenant <id-or-name>', 'the Xero organisation, when the sign-in grants several')
    .action(async (_o: unknown, command: Command) => {
      // `--company` is also an option of `connect` itself, which parses it first.
      const o = command.optsWithGlobals<{ company?: string; tenant?: string }>();
      if (!o.company) throw new Error('give --company <Pleo company id>');
      const configFile = ctx.configFile;
      if (!configFile)
        throw new Error(
          'connect xero records the organisation in the configuration file: give --config <file>',
        );
      const { connectXero } = await import('../connect-xero');
      const result = await connectXero(ctx.config(), {
        configFile,
        companyId: o.company,
        tenant: o.tenant,
        env: ctx.io.env,
        logger: ctx.logger,
        authorize: (url) => {
          ctx.io.stderr.write(
            `Open this URL, sign in to Xero and allow access to the organisation:\n\n  ${url}\n\n`,
          );
        },
      });
      ctx.emit(
        result,
        `connected Xero organisation ${result.tenantName} (${result.tenantId}) for company ${result.companyId}`,
      );
    });
}
