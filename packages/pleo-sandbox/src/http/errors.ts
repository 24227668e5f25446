// Errors in Pleo's shape (ExceptionInfo: { type, message }) for everything the sandbox refuses.
import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { describeIssues } from '@pleo-export/pleo-api/schemas';
import { SandboxError } from '../state';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof SandboxError) {
      return reply.status(err.status).type(JSON_TYPE).send({ type: err.type, message: err.message });
    }
    if (err instanceof ZodError) {
      return reply
        .status(400)
        .type(JSON_TYPE)
        .send({ type: 'BAD_REQUEST', message: describeIssues(err) });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply
        .status(status)
        .type(JSON_TYPE)
        .send({ type: 'BAD_REQUEST', message: (err as Error).message });
    }
    request.log.error({ err }, 'sandbox handler failed');
    return reply
      .status(500)
      .type(JSON_TYPE)
      .send({ type: 'INTERNAL_SERVER_ERROR', message: 'Unexpected sandbox error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type(JSON_TYPE)
      .send({ type: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
