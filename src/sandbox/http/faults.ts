// Applies the fault rules drawn for a call, and counts the call: 429 with Retry-After, 5xx, latency,
// hangs (nothing is done, nothing answered until the client gives up) and lost responses (the handler
// runs and its change stands, then the connection is dropped before the reply).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { endpointKey } from '../faults';
import { JSON_TYPE } from './errors';

const lost = new WeakSet<FastifyRequest>();

export function installFaults(app: FastifyInstance, ctx: SandboxContext): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route || route.startsWith('/admin')) return;
    const endpoint = endpointKey(request.method, route);
    ctx.calls.count(endpoint);
    for (const fault of ctx.faults.draw(endpoint)) {
      switch (fault.kind) {
        case 'latency':
          await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
          break;
        case 'rate_limit':
          return reply
            .status(429)
            .header('retry-after', String(fault.retryAfterSeconds ?? 1))
            .type(JSON_TYPE)
            .send({ type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded (sandbox fault)' });
        case 'server_error':
          return reply
            .status(fault.status ?? 503)
            .type(JSON_TYPE)
            .send({
              type: 'SERVICE_UNAVAILABLE',
              message: 'The service is temporarily unavailable (sandbox fault)',
            });
        case 'hang':
          await new Promise((resolve) => request.raw.socket.once('close', resolve));
          return reply.hijack();
        case 'lost_response':
          lost.add(request);
          break;
      }
    }
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    if (lost.has(request)) request.raw.socket.destroy();
    return payload;
  });
}
