// The codec server the Temporal Web UI (and `temporal workflow show --codec-endpoint`) calls to show
// decrypted payloads to the people allowed to see them: Temporal's `/encode` and `/decode` protocol,
// behind a bearer token, with CORS for the Web UI's origin only.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The bearer token callers must present. */
  token: string;
  /** Origins allowed to call from a browser, e.g. the Web UI's `http://localhost:8233`. */
  corsOrigins: string[];
  logger: Logger;
}

// Temporal's JSON form of a Payload: metadata values and data are base64.
const bodySchema = z.object({
  payloads: z.array(
    z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() }),
  ),
});
type JsonPayload = z.infer<typeof bodySchema>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function createCodecServer(options: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  const allowed = new Set(options.corsOrigins);

  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin)) return;
    reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'origin')
      .header('access-control-allow-credentials', 'true')
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type, x-namespace');
  };
  app.addHook('onRequest', async (request, reply) => cors(request, reply));

  app.get('/healthz', async () => ({ ok: true }));
  app.options('/*', async (_request, reply) => reply.code(204).send());

  // Two ways to present the token: `Authorization: Bearer <token>` (the temporal CLI's --codec-auth,
  // scripts), or in the path, `/t/<token>/decode`, because the Web UI only appends /encode and /decode to
  // its configured codec endpoint and cannot add a header of its own (put the Web UI behind SSO: its
  // users receive the endpoint).
  for (const direction of ['encode', 'decode'] as const) {
    // Checked on request, before the body is read: an unauthenticated caller cannot make it parse megabytes.
    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization ?? '';
      const fromPath = (request.params as { token?: string }).token;
      const presented = fromPath ?? (header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
      if (presented && tokenMatches(presented, options.token)) return;
      options.logger.warn(
        { direction, namespace: request.headers['x-namespace'] },
        'codec request refused: missing or wrong token',
      );
      // Close the connection rather than drain a body nobody will read.
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .header('connection', 'close')
        .send({ error: 'unauthorized' });
    };
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = bodySchema.safeParse(request.body);
      if (!body.success) return reply.code(400).send({ error: 'expected { "payloads": [...] }' });
      try {
        const payloads = await options.codec[direction](body.data.payloads.map(fromJson));
        return { payloads: payloads.map(toJson) };
      } catch (err) {
        options.logger.warn({ direction, reason: (err as Error).message }, 'codec request failed');
        return reply.code(422).send({ error: (err as Error).message });
      }
    };
    app.post(`/${direction}`, { onRequest: authorize }, handler);
    app.post(`/t/:token/${direction}`, { onRequest: authorize }, handler);
  }
  return app;
}
