// Foundation: the Temporal dev server `npm start` runs (persistent SQLite, Web UI, our search attributes)
// really starts from the CLI that scripts/setup.mjs installed, runs a workflow with an activity, and
// keeps its history across a restart. Fails if the server cannot start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { createLogger } from '../../src/logging/logger';
import { SEARCH_ATTRIBUTES } from '../../src/shared/workflow-api';
import { createGreetActivities } from './hello-activities';
import { helloWorkflow } from './hello-workflow';
import { freePort } from '../support/ports';

const logger = createLogger({ level: 'warn' });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-foundation-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the dev server runs a workflow with an activity, serves the Web UI and keeps history across a restart', async () => {
  const dbFile = join(dir, 'temporal.sqlite');
  const [port, uiPort] = [await freePort(), await freePort()];
  const taskQueue = 'foundation';
  const workflowId = 'foundation-hello';

  let server: DevServer = await startDevServer({ dbFile, port, uiPort, logger });
  try {
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    const custom = Object.keys(customAttributes ?? {});
    for (const key of SEARCH_ATTRIBUTES) expect(custom).toContain(key.name);

    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue,
      workflowsPath: require.resolve('./hello-workflow'),
      activities: createGreetActivities(process.pid),
    });
    const result = await worker.runUntil(
      client.workflow.execute(helloWorkflow, { taskQueue, workflowId, args: ['bookkeeper'] }),
    );
    expect(result).toBe(`Hello, bookkeeper, from worker process ${process.pid}`);

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    await connection.close();
  } finally {
    await server.stop();
  }

  // Same database file: the finished workflow is still there after a restart.
  server = await startDevServer({ dbFile, port, logger });
  try {
    const connection = await Connection.connect({ address: server.address });
    const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    await connection.close();
  } finally {
    await server.stop();
  }
});
