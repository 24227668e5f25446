// `pleo-export`: the operator CLI. Every command takes `--config <file>` (or PLEO_EXPORT_CONFIG) and
// `--json` (machine-readable stdout; logs go to stderr). Each command is one module in ./commands,
// registered here in the order `--help` lists them.
import { Command, CommanderError } from 'commander';
import { CliContext, type CliIo, type GlobalOptions } from './context';
import { registerStart } from './commands/start';
import { registerBooks } from './commands/books';
import { registerWorker } from './commands/worker';
import { registerWebhook } from './commands/webhook';
import { registerCodecServer } from './commands/codec-server';
import { registerSandbox } from './commands/sandbox';
import { registerSchedule } from './commands/schedule';
import { registerJobs } from './commands/jobs';
import { registerReplay } from './commands/replay';
import { registerConnect } from './commands/connect';
import { registerConnectXero } from './commands/connect-xero';
import { registerWebhooks } from './commands/webhooks';
import { registerCheckConfig } from './commands/check-config';
import { registerSetupTemporal } from './commands/setup-temporal';
import { registerDoctor } from './commands/doctor';
import { ConfigError } from '../config/load';

export function buildProgram(io: CliIo): { program: Command; ctx: CliContext } {
  const program = new Command('pleo-export')
    .description('Pleo expense exports into accounting systems, on Temporal')
    .option('-c, --config <file>', 'configuration file (default: $PLEO_EXPORT_CONFIG)')
    .option('--json', 'machine-readable output')
    .option('--log-format <format>', 'logs on stderr: pretty or json (default: pretty on a terminal)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const ctx = new CliContext(io, () => program.opts<GlobalOptions>());
  registerStart(program, ctx);
  registerBooks(program, ctx);
  registerWorker(program, ctx);
  registerWebhook(program, ctx);
  registerCodecServer(program, ctx);
  registerSandbox(program);
  registerSchedule(program, ctx);
  registerJobs(program, ctx);
  registerReplay(program, ctx);
  registerConnect(program, ctx);
  registerConnectXero(
    program.commands.find((c) => c.name() === 'connect')!,
    ctx,
  );
  registerWebhooks(program, ctx);
  registerCheckConfig(program, ctx);
  registerSetupTemporal(program, ctx);
  registerDoctor(program, ctx);
  return { program, ctx };
}

/** Runs one command; resolves to the process exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const message = err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`;
    if (ctx.json) io.stdout.write(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    io.stderr.write(`${message}\n`);
    return 1;
  } finally {
    await ctx.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
