// Webhook subscriptions (per company, like Pleo's: bound to the credential's entity) and signed delivery
// with the Standard Webhooks scheme Pleo's headers follow (webhook-id, webhook-timestamp,
// webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, secret whsec_<base64>). Signing uses
// the standardwebhooks library so the sandbox cannot drift from the scheme receivers verify against.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { SandboxError, type SandboxBehaviour, type SandboxClock } from './state';

export const subscriptionRequestSchema = z.object({
  endpointUrl: z.string().url(),
  eventTypes: z.array(z.string().min(1)).min(1),
  status: z.enum(['ACTIVE', 'INACTIVE']).default('ACTIVE'),
  customHeaders: z.record(z.string(), z.string()).optional(),
  endpointAuth: z
    .object({
      type: z.enum(['NONE', 'BASIC']),
      credentials: z
        .object({
          username: z.string().optional(),
          password: z.string().optional(),
          token: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type SubscriptionRequest = z.input<typeof subscriptionRequestSchema>;

export interface Subscription {
  id: string;
  companyId: string;
  endpointUrl: string;
  eventTypes: string[];
  status: 'ACTIVE' | 'INACTIVE';
  customHeaders?: Record<string, string>;
  endpointAuth?: z.infer<typeof subscriptionRequestSchema>['endpointAuth'];
  secret: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  eventType: string;
  subscriptionId: string;
  companyId: string;
  url: string;
  body: string;
  attempts: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Webhooks {
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #deliveries: Delivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  #closed = false;

  constructor(
    private readonly clock: SandboxClock,
    private readonly behaviour: SandboxBehaviour,
    private readonly logger: Logger,
  ) {}

  subscribe(companyId: string, request: SubscriptionRequest): Subscription {
    const body = subscriptionRequestSchema.parse(request);
    const now = iso(this.clock.now());
    const subscription: Subscription = {
      ...body,
      eventTypes: [...new Set(body.eventTypes)],
      id: randomUUID(),
      companyId,
      secret: `whsec_${randomBytes(24).toString('base64')}`,
      createdAt: now,
      updatedAt: now,
    };
    this.#subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  list(companyId: string, filter: { status?: string; eventTypes?: string[] } = {}): Subscription[] {
    return [...this.#subscriptions.values()].filter(
      (s) =>
        s.companyId === companyId &&
        (!filter.status || s.status === filter.status) &&
        (!filter.eventTypes?.length || filter.eventTypes.some((t) => s.eventTypes.includes(t))),
    );
  }

  /** A company's subscription; another company's is as unknown as a missing one. */
  get(companyId: string, id: string): Subscription {
    const subscription = this.#subscriptions.get(id);
    if (!subscription || subscription.companyId !== companyId) {
      throw new SandboxError(404, 'SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
    }
    return subscription;
  }

  /** Sends the event to every active subscription of the company that asked for its type. */
  emit(companyId: string, eventType: string, data: unknown): Delivery[] {
    const eventId = randomUUID();
    const body = JSON.stringify({ eventId, eventType, data });
    const started: Delivery[] = [];
    for (const subscription of this.list(companyId, { status: 'ACTIVE', eventTypes: [eventType] })) {
      const delivery: Delivery = {
        webhookId: `msg_${randomBytes(18).toString('base64url')}`,
        eventId,
        eventType,
        subscriptionId: subscription.id,
        companyId,
        url: subscription.endpointUrl,
        body,
        attempts: [],
        outcome: 'pending',
      };
      this.#deliveries.push(delivery);
      started.push(delivery);
      this.#track(this.#attempt(subscription, delivery, 0));
    }
    return started;
  }

  deliveries(): Delivery[] {
    return this.#deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  close(): void {
    this.#closed = true;
    for (const [timer, resolve] of this.#timers) {
      clearTimeout(timer);
      resolve();
    }
    this.#timers.clear();
  }

  #track(promise: Promise<void>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }

  async #attempt(subscription: Subscription, delivery: Delivery, attempt: number): Promise<void> {
    if (this.#closed) return;
    // Real time, not the sandbox clock: receivers check the timestamp against their own clock.
    const now = new Date();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...subscription.customHeaders,
      'webhook-id': delivery.webhookId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(subscription.secret).sign(delivery.webhookId, now, delivery.body),
    };
    const credentials = subscription.endpointAuth?.credentials;
    if (subscription.endpointAuth?.type === 'BASIC' && credentials) {
      headers.authorization = `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`;
    }
    const record: DeliveryAttempt = { at: now.toISOString() };
    delivery.attempts.push(record);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(10_000),
      });
      record.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        delivery.outcome = 'delivered';
        return;
      }
    } catch (err) {
      record.error = (err as Error).message;
    }
    const delay = this.behaviour.webhookRetryDelaysMs[attempt];
    if (delay === undefined || this.#closed) {
      delivery.outcome = 'failed';
      this.logger.warn(
        { webhookId: delivery.webhookId, attempts: delivery.attempts.length },
        'webhook delivery gave up',
      );
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, delay);
      this.#timers.set(timer, resolve);
    });
    if (this.#closed) delivery.outcome = 'failed';
    else await this.#attempt(subscription, delivery, attempt + 1);
  }
}
