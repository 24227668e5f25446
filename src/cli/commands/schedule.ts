// `schedule create|update|pause|unpause|trigger|delete`: each company's polling schedule, the fallback
// when no webhook arrives.
import type { Command } from 'commander';
import type { Duration } from '@temporalio/common';
import { pollScheduleId } from '../../shared/workflow-api';
import type { CliContext } from '../context';

interface Target {
  company?: string;
  all?: boolean;
}

function companies(ctx: CliContext, target: Target): string[] {
  if (target.all) return ctx.config().companies.map((c) => c.pleoCompanyId);
  if (target.company) return [target.company];
  throw new Error('name a company with --company <id>, or --all for every configured company');
}

export function registerSchedule(program: Command, ctx: CliContext): void {
  const schedule = program.command('schedule').description("Manage each company's polling schedule");
  const targeted = (name: string, description: string) =>
    schedule
      .command(name)
      .description(description)
      .option('--company <id>', 'Pleo company id')
      .option('--all', 'every configured company');

  for (const name of ['create', 'update']) {
    targeted(
      name,
      `${name === 'create' ? 'Create' : 'Update'} the polling schedule (idempotent: creates or updates)`,
    )
      .option('--every <duration>', 'polling interval, e.g. "5 minutes" (default: worker.pollEvery)')
      .action(async (o: Target & { every?: string }) => {
        const config = ctx.config();
        const client = await ctx.client();
        const { upsertPollSchedule } = await import('../../client/schedules');
        const ids: string[] = [];
        for (const companyId of companies(ctx, o)) {
          ids.push(
            await upsertPollSchedule(client, {
              companyId,
              taskQueue: config.temporal.taskQueue,
              every: (o.every ?? config.worker.pollEvery) as Duration,
            }),
          );
        }
        ctx.emit(
          { schedules: ids },
          ids.map((id) => `schedule ${id} ${name}d`),
        );
      });
  }

  const simple: [
    string,
    string,
    (h: ReturnType<Awaited<ReturnType<CliContext['client']>>['schedule']['getHandle']>) => Promise<void>,
  ][] = [
    ['pause', 'Pause polling (webhooks still trigger exports)', (h) => h.pause('paused with pleo-export')],
    ['unpause', 'Resume polling', (h) => h.unpause('unpaused with pleo-export')],
    ['trigger', 'Poll now ("check now")', (h) => h.trigger()],
    ['delete', 'Delete the polling schedule', (h) => h.delete()],
  ];
  for (const [name, description, act] of simple) {
    targeted(name, description).action(async (o: Target) => {
      const client = await ctx.client();
      const ids = companies(ctx, o).map(pollScheduleId);
      for (const id of ids) await act(client.schedule.getHandle(id));
      ctx.emit(
        { schedules: ids, action: name },
        ids.map((id) => `schedule ${id}: ${name} done`),
      );
    });
  }
}
