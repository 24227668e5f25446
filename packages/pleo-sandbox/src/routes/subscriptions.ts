// Webhook subscriptions API (pleo-webhook-subscriptions-openapi.yml): per company, like the credential.
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { paginate } from '../http/pagination';
import { json, many, one } from '../http/reply';
import type { Subscription } from '../webhooks';

/** SubscriptionModel: what Pleo shows of a subscription (never the secret). */
function model(s: Subscription) {
  const { id, endpointUrl, eventTypes, status, customHeaders, endpointAuth, createdAt, updatedAt } = s;
  return {
    id,
    endpointUrl,
    eventTypes,
    status,
    createdAt,
    updatedAt,
    ...(customHeaders ? { customHeaders } : {}),
    ...(endpointAuth ? { endpointAuth } : {}),
  };
}

export function subscriptionRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { webhooks } = ctx;

  app.get('/v1/subscriptions', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const status = one(q.status);
    const eventTypes = many(q.event_types);
    const found = webhooks.list(request.principal.companyId, { status, eventTypes }).map(model);
    const parameters: Record<string, string[]> = {
      ...(status ? { status: [status] } : {}),
      ...(eventTypes.length ? { event_types: eventTypes } : {}),
    };
    const page = { after: one(q.after), before: one(q.before), offset: one(q.offset), limit: one(q.limit) };
    return json(
      reply,
      200,
      paginate(`subscriptions/${request.principal.companyId}`, found, page, parameters, ctx.state.behaviour),
    );
  });

  app.post('/v1/subscriptions', async (request, reply) => {
    return json(reply, 200, {
      data: model(webhooks.subscribe(request.principal.companyId, request.body as never)),
    });
  });

  app.get('/v1/subscriptions/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return json(reply, 200, { data: model(webhooks.get(request.principal.companyId, id)) });
  });

  app.get('/v1/subscriptions/:id/secret', async (request, reply) => {
    const { id } = request.params as { id: string };
    return json(reply, 200, { data: { secretKey: webhooks.get(request.principal.companyId, id).secret } });
  });
}
