// A real HTTP server on loopback serving the sandbox's receipt bytes (packages/pleo-sandbox/src/files.ts), with the
// faults receipts meet in the wild: a 503 before success, an endless 503, redirects, a stalled body.
// It records every request and how many body bytes each response pushed before it ended or was cut.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { openReceipt, pdfBytes } from '@pleo-export/pleo-sandbox/files';

export interface Served {
  path: string;
  /** Body bytes written into the connection. */
  bytesSent: number;
  /** The whole body was sent (false when the client cut the connection). */
  complete: boolean;
}

export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  requests: string[];
  served: Served[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Resolves once the response to `path` has ended one way or the other. */
  whenServed(path: string): Promise<Served>;
  close(): Promise<void>;
}

/**
 * Paths: `/files/<kind>/<name>` as the sandbox serves them; `/flaky/<n>/<kind>/<name>` answers 503 to
 * the first n requests, then the file; `/down` always 503; `/redirect?to=<url>` a 302; `/stall` sends
 * headers and then nothing; `/text` a plain-text receipt; `/empty` a plain-text receipt of 0 bytes;
 * `/html` an HTML page served with 200 (what a proxy's login page looks like); `/slow/<ms>` the
 * sandbox PDF in 8 slices, <ms> apart.
 */
export async function startFileServer(): Promise<FileServer> {
  const requests: string[] = [];
  const served: Served[] = [];
  const waiting = new Map<string, (s: Served) => void>();
  const flakyCounts = new Map<string, number>();

  const serveFile = async (res: ServerResponse, path: string, kind: string, name: string) => {
    const answer = await openReceipt(kind, name);
    if (answer.status !== 200) return res.writeHead(answer.status).end();
    res.writeHead(200, { 'content-type': answer.type, 'content-length': answer.size });
    const record: Served = { path, bytesSent: 0, complete: false };
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        record.bytesSent += chunk.length;
        callback(null, chunk);
      },
    });
    const body = Buffer.isBuffer(answer.body) ? Readable.from([answer.body]) : answer.body;
    await pipeline(body, counter, res).then(
      () => (record.complete = true),
      () => undefined, // the client cut the connection (size cap, timeout): recorded as incomplete
    );
    served.push(record);
    waiting.get(path)?.(record);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    requests.push(url.pathname);
    const file = /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const flaky = /^\/flaky\/(\d+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (file) return serveFile(res, url.pathname, file[1]!, file[2]!);
    if (flaky) {
      const seen = (flakyCounts.get(url.pathname) ?? 0) + 1;
      flakyCounts.set(url.pathname, seen);
      if (seen <= Number(flaky[1])) return res.writeHead(503, { 'retry-after': '0' }).end('try again');
      return serveFile(res, url.pathname, flaky[2]!, flaky[3]!);
    }
    const slow = /^\/slow\/(\d+)$/.exec(url.pathname);
    if (slow) {
      const body = await pdfBytes();
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': body.length });
      const slices = 8;
      for (let i = 0; i < slices; i++) {
        if (i > 0) await sleep(Number(slow[1]));
        res.write(
          body.subarray(Math.floor((body.length * i) / slices), Math.floor((body.length * (i + 1)) / slices)),
        );
      }
      return res.end();
    }
    if (url.pathname === '/text')
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('Taxi 12.50 EUR\n');
    if (url.pathname === '/empty')
      return res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 0 }).end();
    if (url.pathname === '/html')
      return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>');
    if (url.pathname === '/down') return res.writeHead(503).end('down');
    if (url.pathname === '/redirect')
      return res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    if (url.pathname === '/stall')
      return res.writeHead(200, { 'content-type': 'application/pdf' }).write('%PDF-');
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    requests,
    served,
    connections: () => connections,
    whenServed: (path) =>
      new Promise((resolve) => {
        const done = served.find((s) => s.path === path);
        if (done) resolve(done);
        else waiting.set(path, resolve);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
