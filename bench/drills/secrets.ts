// 7. Secrets: after all drills, no API key, OAuth token or webhook secret appears in any workflow
// history (events, failures, decoded payloads), any log file, or any error message Pleo was sent. A
// last job runs over OAuth (a Bearer token) with a webhook trigger, failing items and Pleo faults, so
// every kind of credential has been in use.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExportItems } from '@pleo-export/pleo-sandbox/seed/export-items';
import { allHistoryTexts } from '../lib/history';
import { oauthTokens } from '../lib/oauth';
import { startReceiver } from '../lib/receiver';
import { runJob } from '../lib/run-job';
import type { BenchEnv } from '../lib/env';
import type { Size } from '../lib/args';
import { JOB_TIMEOUT_MS, type DrillResult } from './common';

export async function secrets(env: BenchEnv, size: Size): Promise<DrillResult> {
  const company = env.addCompany();
  const tokens = await oauthTokens(env.sandbox, company.companyId);
  env.secrets.push(tokens.accessToken, tokens.refreshToken, tokens.clientSecret);
  const receiver = await startReceiver(env, company);
  const worker = await env.startWorker([{ ...company, bearerToken: tokens.accessToken }]);
  const items = generateExportItems({
    seed: 'drill-secrets',
    count: 40,
    companyId: company.companyId,
    fileBaseUrl: env.sandbox.url,
    mix: 'all',
  });
  env.sandbox.setFaults([{ endpoint: '*', kind: 'server_error', probability: 0.1 }]);
  const failures: string[] = [];
  try {
    await runJob(env, company, items, {
      timeoutMs: JOB_TIMEOUT_MS[size],
      byWebhook: true,
    });
  } catch (err) {
    failures.push(`the OAuth job: ${(err as Error).message}`);
  } finally {
    env.sandbox.setFaults([]);
    await worker.kill();
    await receiver.close();
  }

  const wanted = [...new Set(env.secrets)].filter((s) => s.length >= 8);
  const leaks: string[] = [];
  const search = (where: string, text: string) => {
    for (const secret of wanted)
      if (text.includes(secret)) leaks.push(`${where} contains a secret (${secret.slice(0, 4)}…)`);
  };
  let histories = 0;
  for await (const { workflowId, text } of allHistoryTexts(env.client)) {
    histories++;
    search(`history of ${workflowId}`, text);
  }
  const logFiles = readdirSync(env.logDir);
  let logBytes = 0;
  for (const file of logFiles) {
    const text = readFileSync(join(env.logDir, file), 'utf8');
    logBytes += text.length;
    search(`log ${file}`, text);
  }
  let errorMessages = 0;
  for (const c of env.sandbox.state.companies.keys()) {
    for (const job of env.sandbox.state.jobsOf(c)) {
      const messages = [
        ...env.sandbox.jobEvents(job.id).map((e) => e.failureReason ?? ''),
        ...env.sandbox.jobItems(job.id).map((i) => i.failureReason ?? ''),
      ].filter(Boolean);
      errorMessages += messages.length;
      search(`error messages of job ${job.id}`, messages.join('\n'));
    }
  }
  failures.push(...leaks);
  if (histories === 0) failures.push('no workflow history was searched');
  if (logBytes === 0) failures.push('no log line was searched');
  if (errorMessages === 0) failures.push('no error message was searched');
  return {
    name: 'secrets',
    title: '7. Secrets in histories, logs and error messages',
    figures: {
      secretsSearched: wanted.length,
      historiesSearched: histories,
      logFiles: logFiles.length,
      logMegabytes: Math.round((logBytes / 1e6) * 10) / 10,
      errorMessagesSearched: errorMessages,
      leaks: leaks.length,
    },
    failures,
  };
}
