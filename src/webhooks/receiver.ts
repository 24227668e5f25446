// HTTP receiver for Pleo's `v1.export-job.created` webhooks. It verifies the Standard Webhooks
// signature with the secret of the company the body names, refuses a body naming any other company,
// rejects stale and replayed deliveries, and signals the company's export workflow before
// answering: a 2xx means the trigger is durably in Temporal; on failure Pleo's retry (and the polling
// schedule) cover it.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { verifyPleoWebhook, WebhookCompanyMismatchError } from '../pleo/webhooks';
import type { JobAvailable } from '../shared/workflow-api';

export interface WebhookReceiverOptions {
  /** Signing secret (`whsec_…`) of each company's subscription. */
  secretFor(companyId: string): string | undefined;
  /** Starts or signals the company workflow. */
  trigger(companyId: string, signal: JobAvailable): Promise<void>;
  logger: Logger;
  /** Deliveries older or newer than this are refused (replay protection). */
  toleranceSeconds?: number;
  /** Deliveries remembered for replay detection (by `webhook-id`). */
  replayWindow?: number;
}

export const WEBHOOK_PATH = '/webhooks/pleo';

export function createWebhookReceiver(options: WebhookReceiverOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const seen = new Set<string>();
  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > (options.replayWindow ?? 10_000)) seen.delete(seen.values().next().value as string);
  };
  // The signature covers the exact bytes: keep the raw body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ ok: true }));

  app.post(WEBHOOK_PATH, async (request, reply) => {
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const deliveryId = String(request.headers['webhook-id'] ?? '');
    // The company id only selects which secret to verify with; nothing is trusted before verification,
    // and the verified event is bound to this company.
    const companyId = companyIdOf(rawBody);
    const secret = companyId ? options.secretFor(companyId) : undefined;
    if (!companyId || !secret) {
      options.logger.warn({ deliveryId }, 'webhook for an unknown company ignored');
      return reply.code(404).send({ type: 'UNKNOWN_COMPANY' });
    }
    let event;
    try {
      event = verifyPleoWebhook({
        headers: request.headers as Record<string, string>,
        rawBody,
        secret,
        companyId,
        toleranceSeconds: options.toleranceSeconds,
      });
    } catch (err) {
      if (err instanceof WebhookCompanyMismatchError) {
        // Logged without the body: it is not trusted, and might carry anything.
        options.logger.warn(
          { deliveryId, signedFor: err.signedFor, named: err.named },
          'webhook refused: it names another company than the one whose secret signed it',
        );
        return reply.code(403).send({ type: 'COMPANY_MISMATCH' });
      }
      options.logger.warn({ deliveryId, reason: (err as Error).message }, 'webhook rejected');
      return reply.code(401).send({ type: 'INVALID_SIGNATURE' });
    }
    // Pleo's retries repeat the webhook-id; the same event sent again carries the same eventId.
    const keys = [`delivery:${deliveryId}`, ...(event.eventId ? [`event:${event.eventId}`] : [])];
    if (keys.some((key) => seen.has(key))) return reply.code(200).send({ duplicate: true });
    if (event.kind !== 'export_job_created') return reply.code(204).send();
    // Remembered before the trigger so a duplicate arriving meanwhile is not forwarded too.
    keys.forEach(remember);
    try {
      await options.trigger(event.companyId, { source: 'webhook', jobId: event.jobId });
    } catch (err) {
      keys.forEach((key) => seen.delete(key));
      options.logger.error(
        { deliveryId, err: (err as Error).message },
        'webhook accepted but Temporal unreachable; asking Pleo to retry',
      );
      return reply.code(503).send({ type: 'TEMPORARILY_UNAVAILABLE' });
    }
    options.logger.info(
      { deliveryId, companyId: event.companyId, jobId: event.jobId },
      'export job webhook accepted',
    );
    return reply.code(204).send();
  });
  return app;
}

function companyIdOf(rawBody: string): string | undefined {
  try {
    const body = JSON.parse(rawBody) as { companyId?: unknown; data?: { companyId?: unknown } };
    const id = body.companyId ?? body.data?.companyId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
