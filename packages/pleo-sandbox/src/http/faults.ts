// Applies the fault rules drawn for a call, and counts the call: 429 with Retry-After, 5xx, latency,
// hangs (nothing is done, nothing answered until the client gives up) and lost responses (the handler
// runs and its change stands, then the connection is dropped before the reply). Shared with the Xero
// stand-in, which answers 429 and 5xx in Xero's shapes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { endpointKey, type FaultRule } from '../faults';
import { JSON_TYPE } from './errors';

/** How a stand-in words the faults that answer in its place. */
export interface FaultAnswers {
  rateLimit(reply: FastifyReply, fault: FaultRule): FastifyReply;
  serverError(reply: FastifyReply, fault: FaultRule): FastifyReply;
}

/** Drops the connection instead of replying, for requests a `lost_response` fault marked. */
export function installLostResponses(app: FastifyInstance): WeakSet<FastifyRequest> {
  const lost = new WeakSet<FastifyRequest>();
  app.addHook('onSend', async (request, _reply, payload) => {
    if (lost.has(request)) request.raw.socket.destroy();
    return payload;
  });
  return lost;
}

/** Applies the drawn faults; resolves to the reply when a fault answered (or hung up), else undefined. */
export async function applyFaults(
  faults: FaultRule[],
  request: FastifyRequest,
  reply: FastifyReply,
  lost: WeakSet<FastifyRequest>,
  answers: FaultAnswers,
): Promise<FastifyReply | undefined> {
  for (const fault of faults) {
    switch (fault.kind) {
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
        break;
      case 'rate_limit':
        return answers.rateLimit(
          reply.status(429).header('retry-after', String(fault.retryAfterSeconds ?? 1)),
          fault,
        );
      case 'server_error':
        return answers.serverError(reply.status(fault.status ?? 503), fault);
      case 'hang':
        await new Promise((resolve) => request.raw.socket.once('close', resolve));
        return reply.hijack();
      case 'lost_response':
        lost.add(request);
        break;
    }
  }
  return undefined;
}

const PLEO_ANSWERS: FaultAnswers = {
  rateLimit: (reply) =>
    reply.type(JSON_TYPE).send({ type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded (sandbox fault)' }),
  serverError: (reply) =>
    reply.type(JSON_TYPE).send({
      type: 'SERVICE_UNAVAILABLE',
      message: 'The service is temporarily unavailable (sandbox fault)',
    }),
};

export function installFaults(app: FastifyInstance, ctx: SandboxContext): void {
  const lost = installLostResponses(app);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route || route.startsWith('/admin')) return;
    const endpoint = endpointKey(request.method, route);
    ctx.calls.count(endpoint);
    return applyFaults(ctx.faults.draw(endpoint), request, reply, lost, PLEO_ANSWERS);
  });
}
