// Export API v3: jobs, job events, job items (control layer) and export items (data layer), with the
// paths, parameters, bodies and status codes of Pleo's OpenAPI (pleo-export-openapi.yml).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { JOB_FAILURE_REASON_TYPES, ITEM_FAILURE_REASON_TYPES } from '@pleo-export/pleo-api/failure-reasons';
import type { SandboxContext } from '../context';
import { companyOf } from '../http/auth';
import { paginate, type PageQuery } from '../http/pagination';
import { json, many, one } from '../http/reply';
import { SandboxError } from '../state';

const JOB_STATUSES = ['pending', 'in_progress', 'failed', 'completed', 'completed_with_errors'] as const;
const ITEM_STATUSES = ['pending', 'in_progress', 'failed', 'successful', 'abandoned'] as const;

const jobEventSchema = z.object({
  jobId: z.string().min(1),
  event: z.enum(['started', 'completed', 'completed_with_errors', 'failed']),
  failureReason: z.string().optional(),
  failureReasonType: z.enum(JOB_FAILURE_REASON_TYPES).optional(),
});

const itemUpdatesSchema = z.array(
  z.object({
    accountingEntryId: z.string().min(1),
    status: z.enum(ITEM_STATUSES),
    exportedAt: z.string().optional(),
    externalId: z.string().optional(),
    externalUrl: z.string().optional(),
    failureReason: z.string().optional(),
    failureReasonType: z.enum(ITEM_FAILURE_REASON_TYPES).optional(),
  }),
);

type Query = Record<string, unknown> & PageQuery;

function pageQuery(q: Query): PageQuery {
  return { after: one(q.after), before: one(q.before), offset: one(q.offset), limit: one(q.limit) };
}

function oneOf<T extends string>(name: string, values: readonly T[], given: string[]): T[] {
  for (const v of given)
    if (!values.includes(v as T))
      throw new SandboxError(400, 'BAD_REQUEST', `${name} must be one of ${values.join(', ')}; got ${v}`);
  return given as T[];
}

export function exportRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state } = ctx;

  app.get('/v3/export-jobs', async (request, reply) => {
    const q = request.query as Query;
    const companyId = companyOf(request.principal, one(q.company_id));
    const statuses = oneOf('statuses', JOB_STATUSES, many(q.statuses));
    const newestFirst = state.behaviour.jobListOrder === 'newest_first';
    const jobs = state
      .jobsOf(companyId)
      .filter((j) => statuses.length === 0 || (statuses as string[]).includes(j.status))
      .sort(
        (a, b) =>
          (newestFirst ? -1 : 1) * (a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
      );
    const parameters: Record<string, string[]> = {
      company_id: [companyId],
      ...(statuses.length ? { statuses } : {}),
    };
    return json(
      reply,
      200,
      paginate(`jobs/${companyId}/${statuses.join(',')}`, jobs, pageQuery(q), parameters, state.behaviour),
    );
  });

  app.get('/v3/export-jobs/:jobId', async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    return json(reply, 200, { data: state.getJob(jobId, request.principal.companyId) });
  });

  app.post('/v3/export-job-events', async (request, reply) => {
    const event = jobEventSchema.parse(request.body);
    state.postEvent(request.principal.companyId, event);
    return reply.status(202).send();
  });

  app.get('/v3/export-jobs/:jobId/items', async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    const q = request.query as Query;
    const status = oneOf('status', ITEM_STATUSES, many(q.status))[0];
    const items = state
      .jobItems(jobId, request.principal.companyId)
      .filter((i) => !status || i.status === status);
    const parameters: Record<string, string[]> = status ? { status: [status] } : {};
    return json(
      reply,
      200,
      paginate(`items/${jobId}/${status ?? ''}`, items, pageQuery(q), parameters, state.behaviour),
    );
  });

  app.put('/v3/export-jobs/:jobId/items', async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    // Unknown job (404) and too many items (413) are answered before the items themselves are checked.
    state.getJob(jobId, request.principal.companyId);
    if (Array.isArray(request.body) && request.body.length > 100) {
      throw new SandboxError(
        413,
        'EXPORT_JOB_ITEMS_UPDATE_LIMIT',
        'Number of items to update is more than 100.',
      );
    }
    const updates = itemUpdatesSchema.parse(request.body);
    return json(reply, 200, state.updateItems(request.principal.companyId, jobId, updates));
  });

  app.get('/v3/export-items', async (request, reply) => {
    const q = request.query as Query;
    const jobId = one(q.job_id);
    if (!jobId)
      throw new SandboxError(
        400,
        'REQUIRED_PARAMETER_MISSING',
        'The sandbox needs job_id to list export items',
      );
    const items = state.exportItems(jobId, request.principal.companyId);
    return json(
      reply,
      200,
      paginate(`export-items/${jobId}`, items, pageQuery(q), { job_id: [jobId] }, state.behaviour),
    );
  });
}
