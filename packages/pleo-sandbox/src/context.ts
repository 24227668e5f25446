// What every sandbox route shares: the state, the auth servers, webhooks, faults and counters, and the
// one way to create a job (state + receipt links + the v1.export-job.created webhook).
import type { Logger } from 'pino';
import type { ExportItem, ExportJob } from '@pleo-export/pleo-api/types';
import type { CallCounter } from './calls';
import type { FaultInjector } from './faults';
import type { ReceiptLinks } from './files';
import type { OAuthServer } from './oauth';
import type { CreateJobOptions, SandboxState } from './state';
import type { Webhooks } from './webhooks';

export interface SandboxContext {
  state: SandboxState;
  oauth: OAuthServer;
  webhooks: Webhooks;
  faults: FaultInjector;
  calls: CallCounter;
  links: ReceiptLinks;
  logger: Logger;
  /** The base URL once listening (receipt links and seeds need it). */
  url(): string;
  /** The company the OAuth demo user approves for. */
  demoCompanyId: string;
  createJob(companyId: string, items: ExportItem[], options?: CreateJobOptions): ExportJob;
}

export function jobCreator(ctx: Omit<SandboxContext, 'createJob'>): SandboxContext['createJob'] {
  return (companyId, items, options) => {
    const job = ctx.state.createJob(companyId, items, options);
    const issuedAt = ctx.state.clock.now().getTime();
    const prefix = `${ctx.url()}/files/`;
    for (const item of items) {
      for (const file of item.files ?? []) {
        if (file?.url.startsWith(prefix)) ctx.links.issue(new URL(file.url).pathname, issuedAt);
      }
    }
    // The snapshot Pleo documents for this event (re-read the job before acting on it).
    const { id, createdAt, createdBy, expiresIn, numberOfItems, status } = job;
    ctx.webhooks.emit(companyId, 'v1.export-job.created', {
      id,
      companyId,
      createdAt,
      createdBy,
      expiresIn,
      numberOfItems,
      status,
    });
    return job;
  };
}
