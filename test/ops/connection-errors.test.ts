// Connection errors say where the connection went: an operator with a wrong address sees it.
import { createServer, type AddressInfo } from 'node:net';
import { ApiKeyAuth } from '../../src/pleo/auth';
import { PleoClient } from '../../src/pleo/client';
import { PleoApiError } from '../../src/pleo/errors';
import { connectClient } from '../../src/temporal/connection';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('Temporal unreachable: the error names the address and the setting that changes it', async () => {
  const address = `127.0.0.1:${await closedPort()}`;
  const env = { ...process.env };
  delete process.env.TEMPORAL_ADDRESS;
  try {
    await expect(
      connectClient({
        address,
        namespace: 'default',
        taskQueue: 'q',
        startDevServer: false,
        uiPort: 8233,
      }),
    ).rejects.toThrow(
      new RegExp(
        `^Temporal at ${address.replace(/\./g, '\\.')} could not be reached \\(.*\\): start it, or point to it with PLEO_EXPORT_TEMPORAL__ADDRESS or TEMPORAL_ADDRESS$`,
      ),
    );
  } finally {
    process.env = env;
  }
}, 60_000);

test('Pleo unreachable: the error names where the request went, without path or query', async () => {
  const origin = `http://127.0.0.1:${await closedPort()}`;
  const client = new PleoClient({ baseUrl: `${origin}/`, auth: new ApiKeyAuth('key') });
  const error = await client.getExportJob('job-1').catch((err: unknown) => err);
  expect(error).toBeInstanceOf(PleoApiError);
  expect((error as PleoApiError).message).toBe(
    `Pleo GET /v3/export-jobs/job-1 at ${origin} could not be reached (ECONNREFUSED)`,
  );
}, 60_000);
