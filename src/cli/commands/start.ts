// `start` (the demo, same as `npm start`) and `ui` (its Web UI alone); the demo itself is src/app/start.ts,
// loaded when one of them runs.
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context';

export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description(
      'The demo on embedded defaults: Temporal dev server + Web UI, Pleo sandbox, worker, ledger (same as npm start)',
    )
    .option('--exit', 'stop after the summary')
    .option('--ui-only', 'only reopen the Web UI on the persisted database (same as `pleo-export ui`)')
    .action(async (o: { exit?: boolean; uiOnly?: boolean }) => {
      const { runStart } = await import('../../app/start');
      ctx.exitCode = await runStart({ ...o, ...startOptions(program) });
    });

  program
    .command('ui')
    .description("Reopen the Temporal Web UI on the dev server's persisted database, exporting nothing")
    .option('--exit', 'print the links and stop')
    .action(async (o: { exit?: boolean }) => {
      const { runStart } = await import('../../app/start');
      ctx.exitCode = await runStart({ ...o, uiOnly: true, ...startOptions(program) });
    });
}

function startOptions(program: Command) {
  const global = program.opts<GlobalOptions>();
  return { configFile: global.config, logFormat: global.logFormat };
}
