// The Pleo sandbox: a local stand-in for Pleo's API (Export API v3, webhook subscriptions, OAuth,
// supporting APIs, receipt links) over real HTTP, with an admin API and fault injection. Behaviour the
// spec leaves open is a named option (SandboxBehaviour; table in README.md).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ExportItem, ExportJob } from '@pleo-export/pleo-api/types';
import { CallCounter } from './calls';
import { jobCreator, type SandboxContext } from './context';
import { FaultInjector, type FaultRule, type FaultRuleInput } from './faults';
import { ReceiptLinks } from './files';
import { authenticate } from './http/auth';
import { installErrorHandling } from './http/errors';
import { installFaults } from './http/faults';
import { OAuthServer, DEMO_OAUTH_CLIENT, type OAuthClient } from './oauth';
import { adminRoutes } from './routes/admin';
import { exportRoutes } from './routes/export';
import { fileRoutes } from './routes/files';
import { oauthRoutes } from './routes/oauth';
import { subscriptionRoutes } from './routes/subscriptions';
import { supportingRoutes } from './routes/supporting';
import {
  DEFAULT_BEHAVIOUR,
  SandboxState,
  systemClock,
  type CreateJobOptions,
  type JobEvent,
  type SandboxBehaviour,
  type SandboxClock,
} from './state';
import { Webhooks, type Delivery } from './webhooks';
import { DEMO_COMPANY } from '@pleo-export/demo-company/company';

export interface SandboxOptions {
  port: number;
  host?: string;
  seed: 'none' | 'demo';
  logger: Logger;
  behaviour?: Partial<SandboxBehaviour>;
  clock?: SandboxClock;
  faults?: FaultRuleInput[];
  /** Seed of the generator behind probabilistic faults (default 1). */
  faultSeed?: number;
}

export interface Company {
  id: string;
  name: string;
  walletCurrency: string;
  apiKey: string;
}

export interface PleoSandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 (Pleo API, OAuth, receipt links and /admin). */
  url: string;
  /** The demo company's id and API key (always present). */
  credentials: { companyId: string; apiKey: string };
  /** The OAuth client registered at start (redirect URIs on 127.0.0.1:3000 / localhost:3000). */
  oauthClient: OAuthClient;
  state: SandboxState;
  clock: SandboxClock;
  createCompany(options?: { walletCurrency?: string; name?: string; apiKey?: string }): Company;
  /**
   * Creates a job as Pleo would after a user pressed Export (webhook included). Unlike the HTTP admin
   * API, a second unfinished job for the same company is allowed unless `allowConcurrent: false`, so
   * tests can model a job created meanwhile.
   */
  createJob(companyId: string, exportItems: ExportItem[], options?: CreateJobOptions): ExportJob;
  getJob(jobId: string): ExportJob;
  jobItems(jobId: string): ReturnType<SandboxState['jobItems']>;
  jobEvents(jobId: string): JobEvent[];
  itemUpdateCounts(jobId: string): Map<string, number>;
  addSubscription(companyId: string, url: string, eventTypes: string[]): { id: string; secret: string };
  webhookDeliveries(): Delivery[];
  /** Resolves when no webhook delivery is in flight or waiting to be retried. */
  webhooksIdle(): Promise<void>;
  registerOAuthClient(client: {
    redirectUris: string[];
    clientId?: string;
    clientSecret?: string;
  }): OAuthClient;
  setBehaviour(behaviour: Partial<SandboxBehaviour>): void;
  setFaults(rules: FaultRuleInput[]): FaultRule[];
  addFault(rule: FaultRuleInput): FaultRule;
  /** Pleo API calls so far per endpoint (`GET /v3/export-jobs/{jobId}` …). */
  calls(): Record<string, number>;
  resetCalls(): void;
  close(): Promise<void>;
}

function buildApp(ctx: SandboxContext, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request lines would drown the logs of tests and benchmarks; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    bodyLimit: 32 * 1024 * 1024,
  });
  installErrorHandling(app);
  installFaults(app, ctx);
  oauthRoutes(app, ctx);
  fileRoutes(app, ctx);
  adminRoutes(app, ctx);
  void app.register(async (api) => {
    api.decorateRequest('principal');
    api.addHook('onRequest', async (request) => {
      request.principal = authenticate(ctx, request);
    });
    exportRoutes(api, ctx);
    subscriptionRoutes(api, ctx);
    supportingRoutes(api, ctx);
  });
  return app;
}

export async function startSandbox(options: SandboxOptions): Promise<PleoSandbox> {
  const clock = options.clock ?? systemClock();
  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const state = new SandboxState(clock, behaviour);
  const demo = state.createCompany(DEMO_COMPANY);
  const faults = new FaultInjector(options.faultSeed);
  for (const rule of options.faults ?? []) faults.add(rule);
  const webhooks = new Webhooks(clock, behaviour, options.logger);
  let url = '';
  const base = {
    state,
    oauth: new OAuthServer(clock, behaviour),
    webhooks,
    faults,
    calls: new CallCounter(),
    links: new ReceiptLinks(),
    logger: options.logger,
    url: () => url,
    demoCompanyId: demo.id,
  };
  const ctx: SandboxContext = { ...base, createJob: jobCreator(base) };
  const app = buildApp(ctx, options.logger);
  const address = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  url = address.replace('localhost', '127.0.0.1');

  if (options.seed === 'demo') {
    // Loaded only when asked for: the generator is sizeable and most tests seed their own jobs.
    const { demoJobs } = await import('./seed/export-items');
    for (const job of demoJobs(demo.id, url))
      ctx.createJob(demo.id, job.items, { createdAt: job.createdAt, allowConcurrent: true });
  }

  return {
    url,
    credentials: { companyId: demo.id, apiKey: demo.apiKey },
    oauthClient: DEMO_OAUTH_CLIENT,
    state,
    clock,
    createCompany: (o = {}) => state.createCompany(o),
    createJob: (companyId, items, o = {}) => ctx.createJob(companyId, items, { allowConcurrent: true, ...o }),
    getJob: (jobId) => state.getJob(jobId),
    jobItems: (jobId) => state.jobItems(jobId),
    jobEvents: (jobId) => state.jobEvents(jobId),
    itemUpdateCounts: (jobId) => state.itemUpdateCounts(jobId),
    addSubscription(companyId, endpointUrl, eventTypes) {
      const s = webhooks.subscribe(companyId, { endpointUrl, eventTypes });
      return { id: s.id, secret: s.secret };
    },
    webhookDeliveries: () => webhooks.deliveries(),
    webhooksIdle: () => webhooks.idle(),
    registerOAuthClient: (client) => ctx.oauth.registerClient(client),
    setBehaviour: (b) => void Object.assign(behaviour, b),
    setFaults: (rules) => faults.set(rules),
    addFault: (rule) => faults.add(rule),
    calls: () => ctx.calls.snapshot(),
    resetCalls: () => ctx.calls.reset(),
    async close() {
      webhooks.close();
      await app.close();
    },
  };
}
