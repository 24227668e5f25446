// The webhook receiver (src/webhooks/receiver.ts) for one company, subscribed in the sandbox: Pleo's
// signed `v1.export-job.created` deliveries start the company workflow, as in production.
import { createWebhookReceiver, WEBHOOK_PATH } from '../../src/webhooks/receiver';
import { triggerCompanyExport } from '../../src/client/trigger';
import type { ExportJobSettings } from '../../src/shared/workflow-api';
import type { BenchCompany, BenchEnv } from './env';

export interface BenchReceiver {
  /** The subscription's signing secret (searched for by the secrets drill). */
  secret: string;
  /** When each verified delivery reached the receiver (ms since epoch). */
  deliveredAt: number[];
  close(): Promise<void>;
}

export async function startReceiver(
  env: BenchEnv,
  company: BenchCompany,
  settings?: Partial<ExportJobSettings>,
): Promise<BenchReceiver> {
  const deliveredAt: number[] = [];
  let secret = '';
  const app = createWebhookReceiver({
    secretFor: (companyId) => (companyId === company.companyId ? secret : undefined),
    trigger: async (companyId, signal) => {
      deliveredAt.push(Date.now());
      await triggerCompanyExport(env.client, env.taskQueue, companyId, signal, settings);
    },
    logger: env.logger,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  secret = env.sandbox.addSubscription(company.companyId, `${address}${WEBHOOK_PATH}`, [
    'v1.export-job.created',
  ]).secret;
  env.secrets.push(secret);
  return { secret, deliveredAt, close: () => app.close() };
}
