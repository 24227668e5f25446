// `pleo-export ui` reopens the Temporal Web UI on the dev server's persisted database without
// exporting anything, and the link it prints opens the company's failed exports: asked through the Web
// UI's own HTTP API with the link's query, it lists exactly those export jobs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../src/temporal/dev-server';
import { createLogger } from '../../src/logging/logger';
import { SA_COMPANY_ID, SA_OUTCOME } from '../../src/shared/workflow-api';
import { DEMO_COMPANY } from '@pleo-export/demo-company/company';
import { failedExportsQuery } from '../../src/app/links';
import { freePort } from '../support/ports';

const root = join(__dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-ui-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('pleo-export ui serves the persisted exports and links to the failed ones', async () => {
  const [port, uiPort] = [await freePort(), await freePort()];
  const dataDir = join(dir, 'data');
  // An earlier demo's exports, as the export job workflow labels them; nobody runs them here.
  const server = await startDevServer({
    dbFile: join(dataDir, 'temporal', 'dev.sqlite'),
    port,
    logger: createLogger({ level: 'warn' }),
  });
  try {
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const exports = [
      ['failed-items', DEMO_COMPANY.id, 'completed_with_errors'],
      ['job-failed', DEMO_COMPANY.id, 'failed'],
      ['all-booked', DEMO_COMPANY.id, 'completed'],
      ['other-company', '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'failed'],
    ];
    for (const [id, companyId, outcome] of exports)
      await client.workflow.start('exportJobWorkflow', {
        workflowId: id!,
        taskQueue: 'nobody-polls-this',
        args: [],
        typedSearchAttributes: [
          { key: SA_COMPANY_ID, value: companyId! },
          { key: SA_OUTCOME, value: outcome! },
        ],
      });
    await connection.close();
  } finally {
    await server.stop();
  }

  const child = spawn(process.execPath, ['bin/pleo-export.js', 'ui'], {
    cwd: root,
    env: {
      ...process.env,
      // Under CI=true the command stops after printing, like `npm start`; here it must stay up to serve.
      CI: 'false',
      PLEO_EXPORT_DATADIR: dataDir,
      PLEO_EXPORT_TEMPORAL__ADDRESS: `127.0.0.1:${port}`,
      PLEO_EXPORT_TEMPORAL__UI_PORT: String(uiPort),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no links within 90 s:\n${stdout}\n${stderr}`)),
        90_000,
      );
      const check = () => {
        if (stdout.includes('Ctrl-C stops')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`)));
    });
    expect(stdout).toContain(
      `Temporal Web UI on ${join(dataDir, 'temporal', 'dev.sqlite')}: http://127.0.0.1:${uiPort}`,
    );
    expect(stdout).not.toMatch(/Export summary|Exporting/);

    const link = /exports that failed or left items failed: (\S+)/.exec(stdout)?.[1];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe(`http://127.0.0.1:${uiPort}/namespaces/default/workflows`);
    expect(url.searchParams.get('query')).toBe(failedExportsQuery(DEMO_COMPANY.id));
    expect((await fetch(url)).status).toBe(200);

    // What the Web UI's list shows for that link: it asks its API with the same query.
    const api = `http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(url.searchParams.get('query')!)}`;
    const listed = (await (await fetch(api)).json()) as {
      executions?: { execution: { workflowId: string } }[];
    };
    expect((listed.executions ?? []).map((e) => e.execution.workflowId).sort()).toEqual([
      'failed-items',
      'job-failed',
    ]);
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  // The dev server went with it.
  await expect(Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 2000 })).rejects.toThrow();
});
