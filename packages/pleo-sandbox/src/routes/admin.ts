// The sandbox's own admin API (no Pleo equivalent, no auth: a local tool): companies, jobs from export
// items supplied as JSON (v3 schema), item statuses and job events, the clock, behaviour options,
// faults, call counts and webhook deliveries.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeIssues, exportItemSchema } from '@pleo-export/pleo-api/schemas';
import type { ExportItem } from '@pleo-export/pleo-api/types';
import type { SandboxContext } from '../context';
import { faultRuleSchema } from '../faults';
import { json } from '../http/reply';
import { SandboxError, type SandboxBehaviour } from '../state';

const companySchema = z
  .object({ name: z.string().optional(), walletCurrency: z.string().length(3).optional() })
  .strict();

const jobSchema = z.object({
  items: z.array(z.unknown()),
  createdAt: z.string().datetime().optional(),
  isInteractive: z.boolean().optional(),
  vendorBasedBookkeeping: z.boolean().optional(),
  createdBy: z.string().optional(),
  /** Seed a second unfinished job although Pleo would answer 409. */
  allowConcurrent: z.boolean().optional(),
});

export const behaviourSchema = z
  .object({
    oneUnfinishedJobPerCompany: z.boolean(),
    expirySeconds: z.number().int().positive(),
    restartInProgressIs: z.enum(['error', 'noop']),
    allowFailPending: z.boolean(),
    defaultLimit: z.number().int().positive(),
    maxLimit: z.number().int().positive(),
    fileUrlTtlSeconds: z.number().int().positive(),
    missingContraAccounts: z.boolean(),
    jobListOrder: z.enum(['newest_first', 'oldest_first']),
    accessTokenTtlSeconds: z.number().int().positive(),
    webhookRetryDelaysMs: z.array(z.number().int().min(0)),
  })
  .partial()
  .strict() satisfies z.ZodType<Partial<SandboxBehaviour>>;

/** Each export item is checked against the v3 schema on its own, so an error names the item. */
function exportItems(raw: unknown[]): ExportItem[] {
  return raw.map((item, index) => {
    const parsed = exportItemSchema.safeParse(item);
    if (!parsed.success)
      throw new SandboxError(400, 'BAD_REQUEST', `items[${index}]: ${describeIssues(parsed.error)}`);
    return item as ExportItem;
  });
}

export function adminRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state } = ctx;
  const jobId = (params: unknown) => (params as { jobId: string }).jobId;

  app.get('/admin/companies', async (_request, reply) =>
    json(reply, 200, { data: [...state.companies.values()] }),
  );

  app.post('/admin/companies', async (request, reply) =>
    json(reply, 201, { data: state.createCompany(companySchema.parse(request.body ?? {})) }),
  );

  app.post('/admin/companies/:companyId/jobs', { bodyLimit: 1024 * 1024 * 1024 }, async (request, reply) => {
    const { companyId } = request.params as { companyId: string };
    const { items, ...options } = jobSchema.parse(request.body);
    return json(reply, 201, { data: ctx.createJob(companyId, exportItems(items), options) });
  });

  app.get('/admin/companies/:companyId/jobs', async (request, reply) => {
    const { companyId } = request.params as { companyId: string };
    return json(reply, 200, { data: state.jobsOf(companyId) });
  });

  app.get('/admin/jobs/:jobId', async (request, reply) => {
    const id = jobId(request.params);
    return json(reply, 200, {
      data: {
        job: state.getJob(id),
        items: state.jobItems(id),
        events: state.jobEvents(id),
        itemUpdateCounts: Object.fromEntries(state.itemUpdateCounts(id)),
      },
    });
  });

  app.get('/admin/jobs/:jobId/items', async (request, reply) =>
    json(reply, 200, { data: state.jobItems(jobId(request.params)) }),
  );

  app.get('/admin/jobs/:jobId/events', async (request, reply) =>
    json(reply, 200, { data: state.jobEvents(jobId(request.params)) }),
  );

  app.post('/admin/clock/advance', async (request, reply) => {
    const { seconds } = z.object({ seconds: z.number().positive() }).parse(request.body);
    state.clock.advance(seconds * 1000);
    state.expireAll();
    return json(reply, 200, { data: { now: state.clock.now().toISOString() } });
  });

  app.get('/admin/clock', async (_request, reply) =>
    json(reply, 200, { data: { now: state.clock.now().toISOString() } }),
  );

  app.get('/admin/behaviour', async (_request, reply) => json(reply, 200, { data: state.behaviour }));

  app.patch('/admin/behaviour', async (request, reply) => {
    Object.assign(state.behaviour, behaviourSchema.parse(request.body));
    return json(reply, 200, { data: state.behaviour });
  });

  app.get('/admin/faults', async (_request, reply) => json(reply, 200, { data: ctx.faults.list() }));

  app.post('/admin/faults', async (request, reply) =>
    json(reply, 201, { data: ctx.faults.add(faultRuleSchema.parse(request.body)) }),
  );

  app.put('/admin/faults', async (request, reply) =>
    json(reply, 200, { data: ctx.faults.set(z.array(faultRuleSchema).parse(request.body)) }),
  );

  app.delete('/admin/faults/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!ctx.faults.remove(id)) throw new SandboxError(404, 'NOT_FOUND', 'No such fault rule');
    return reply.status(204).send();
  });

  app.delete('/admin/faults', async (_request, reply) => {
    ctx.faults.set([]);
    return reply.status(204).send();
  });

  app.get('/admin/calls', async (_request, reply) => json(reply, 200, { data: ctx.calls.snapshot() }));

  app.delete('/admin/calls', async (_request, reply) => {
    ctx.calls.reset();
    return reply.status(204).send();
  });

  app.get('/admin/webhook-deliveries', async (_request, reply) =>
    json(reply, 200, { data: ctx.webhooks.deliveries() }),
  );

  app.post('/admin/oauth-clients', async (request, reply) => {
    const body = z
      .object({ redirectUris: z.array(z.string().url()).min(1), name: z.string().optional() })
      .parse(request.body);
    return json(reply, 201, { data: ctx.oauth.registerClient(body) });
  });
}
