// Webhook subscriptions (/v1/subscriptions): the integration subscribes each company to
// `v1.export-job.created` and reads the subscription's `whsec_` secret to verify deliveries (webhooks.ts).
// A subscription is bound to the entity of the credential that creates it, so one per company.
import { dataSchema, pageSchema } from '@pleo-export/pleo-api/schemas';
import {
  subscriptionSchema,
  subscriptionSecretSchema,
  type Subscription,
  type SubscriptionRequest,
} from './platform-schemas';
import { paginate, toPage, type Page, type PleoTransport } from './transport';

export const EXPORT_JOB_CREATED = 'v1.export-job.created';

export class PleoSubscriptions {
  constructor(private readonly transport: PleoTransport) {}

  /** Creates a subscription (Pleo answers 200, not 201). */
  async create(request: SubscriptionRequest): Promise<Subscription> {
    const body = await this.transport.request('POST', '/v1/subscriptions', dataSchema(subscriptionSchema), {
      data: request,
    });
    return body.data as Subscription;
  }

  async listPage(
    q: { status?: 'ACTIVE' | 'INACTIVE'; eventTypes?: string[]; after?: string; limit?: number } = {},
  ): Promise<Page<Subscription>> {
    const body = await this.transport.request('GET', '/v1/subscriptions', pageSchema(subscriptionSchema), {
      params: { status: q.status, event_types: q.eventTypes, after: q.after, limit: q.limit },
    });
    return toPage(body.data as Subscription[], body.pagination);
  }

  list(
    q: { status?: 'ACTIVE' | 'INACTIVE'; eventTypes?: string[]; pageSize?: number } = {},
  ): AsyncIterable<Subscription> {
    return paginate((after) => this.listPage({ ...q, after, limit: q.pageSize }));
  }

  async get(id: string): Promise<Subscription> {
    const body = await this.transport.request(
      'GET',
      `/v1/subscriptions/${encodeURIComponent(id)}`,
      dataSchema(subscriptionSchema),
    );
    return body.data as Subscription;
  }

  /** The `whsec_…` signing secret of a subscription. Keep it like a password: it is never logged. */
  async getSecret(id: string): Promise<string> {
    const body = await this.transport.request(
      'GET',
      `/v1/subscriptions/${encodeURIComponent(id)}/secret`,
      dataSchema(subscriptionSecretSchema),
    );
    return body.data.secretKey;
  }

  /** The active export-job subscription for this endpoint, created when missing (safe to call on every start). */
  async ensureExportJobSubscription(endpointUrl: string): Promise<Subscription> {
    for await (const subscription of this.list({ status: 'ACTIVE', eventTypes: [EXPORT_JOB_CREATED] })) {
      if (subscription.endpointUrl === endpointUrl && subscription.eventTypes.includes(EXPORT_JOB_CREATED))
        return subscription;
    }
    return this.create({ endpointUrl, eventTypes: [EXPORT_JOB_CREATED], status: 'ACTIVE' });
  }
}
