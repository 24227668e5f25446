// `npm start` with the Temporal port (or the Web UI's) taken names the port and the setting that moves it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDevServer } from '../../src/temporal/dev-server';

let taken: Server;
let port: number;
let dir: string;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'pleo-export-devserver-'));
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const start = (ports: { port: number; uiPort?: number }) =>
  startDevServer({ dbFile: join(dir, 'temporal.db'), logger: pino({ level: 'silent' }), ...ports });

test('a taken frontend port is named with the override that moves it', async () => {
  await expect(start({ port })).rejects.toThrow(
    `port ${port} on 127.0.0.1 (Temporal frontend) is already in use, perhaps by another Temporal server: stop it, or move the dev server with PLEO_EXPORT_TEMPORAL__ADDRESS=127.0.0.1:${port + 1}`,
  );
});

test('a taken Web UI port likewise', async () => {
  const free = createServer();
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
  const freePort = (free.address() as AddressInfo).port;
  await new Promise((resolve) => free.close(resolve));
  await expect(start({ port: freePort, uiPort: port })).rejects.toThrow(
    `port ${port} on 127.0.0.1 (Temporal Web UI) is already in use, perhaps by another Temporal server: stop it, or move the dev server with PLEO_EXPORT_TEMPORAL__UI_PORT=${port + 1}`,
  );
});
