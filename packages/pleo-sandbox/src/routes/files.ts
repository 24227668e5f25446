// Receipt links, served without credentials like Pleo's presigned URLs, and expiring
// `fileUrlTtlSeconds` after the job that carries them was created (sandbox clock).
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { openReceipt } from '../files';

export function fileRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/files/:kind/:name', async (request, reply) => {
    const { kind, name } = request.params as { kind: string; name: string };
    const issuedAt = ctx.links.issuedAt(request.url.split('?')[0]!);
    if (issuedAt === undefined) return reply.status(404).type('text/plain').send('No such receipt link');
    const expired =
      ctx.state.clock.now().getTime() >= issuedAt + ctx.state.behaviour.fileUrlTtlSeconds * 1000;
    const answer = expired ? ({ status: 403 } as const) : await openReceipt(kind, name);
    if (answer.status !== 200) {
      return reply
        .status(answer.status)
        .type('text/plain')
        .send(answer.status === 403 ? 'Request has expired' : 'No such receipt');
    }
    return reply.status(200).type(answer.type).header('content-length', answer.size).send(answer.body);
  });
}
