// A recording HTTP proxy between the Pleo client and the sandbox: every request the client sends and every
// response it receives passes through it over real HTTP and is checked against Pleo's OpenAPI
// (test/support/openapi.ts). The client under test is unchanged; it just talks to the proxy's URL.
// Endpoints with no OpenAPI file among Pleo's published ones (OAuth on the auth host, /v1/introspect,
// /v1/installations/me, receipt links) are recorded as not covered, so a test can say so explicitly.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pleoContract, type OpenApiContract } from './openapi';

export const NOT_IN_PLEO_OPENAPI = [
  /^\/oauth\//,
  /^\/v1\/introspect$/,
  /^\/v1\/installations\/me/,
  /^\/files\//,
  /^\/admin\//,
];

export interface RecordedExchange {
  method: string;
  url: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: unknown;
  status?: number;
  responseBody?: unknown;
  /** False for endpoints outside Pleo's OpenAPI files (see NOT_IN_PLEO_OPENAPI). */
  contractChecked: boolean;
}

export interface ContractProxy {
  url: string;
  /**
   * Rewrites the next JSON response of `method` to a path matching `path` before the client sees it (to
   * model Pleo sending a malformed body); the contract check then sees the rewritten body too.
   */
  corruptNextResponse(method: string, path: RegExp, rewrite: (body: unknown) => unknown): void;
  exchanges: RecordedExchange[];
  /** One message per mismatch with Pleo's OpenAPI, naming operation, status and JSON path. */
  violations: string[];
  close(): Promise<void>;
}

function parse(buffer: Buffer, contentType: string | undefined): unknown {
  if (buffer.length === 0) return undefined;
  const text = buffer.toString('utf8');
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return contentType?.includes('x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(text))
    : text;
}

function check(violations: string[], validate: () => void): void {
  try {
    validate();
  } catch (err) {
    violations.push((err as Error).message);
  }
}

export async function startContractProxy(
  targetUrl: string,
  contract: OpenApiContract = pleoContract(),
): Promise<ContractProxy> {
  const target = new URL(targetUrl);
  const exchanges: RecordedExchange[] = [];
  const violations: string[] = [];
  const corruptions: { method: string; path: RegExp; rewrite: (body: unknown) => unknown }[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      const path = new URL(url, 'http://x').pathname;
      const exchange: RecordedExchange = {
        method: req.method ?? 'GET',
        url,
        requestHeaders: req.headers,
        requestBody: parse(body, req.headers['content-type']),
        contractChecked: !NOT_IN_PLEO_OPENAPI.some((r) => r.test(path)),
      };
      exchanges.push(exchange);
      if (exchange.contractChecked) {
        check(violations, () =>
          contract.validateRequest({ method: exchange.method, url, body: exchange.requestBody }),
        );
      }
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: url,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            let responseBuffer = Buffer.concat(parts);
            const headers = { ...up.headers };
            exchange.status = up.statusCode;
            exchange.responseBody = parse(responseBuffer, up.headers['content-type']);
            const corruption = corruptions.findIndex(
              (c) => c.method === exchange.method && c.path.test(path),
            );
            if (corruption >= 0) {
              exchange.responseBody = corruptions.splice(corruption, 1)[0]!.rewrite(exchange.responseBody);
              responseBuffer = Buffer.from(JSON.stringify(exchange.responseBody));
              headers['content-length'] = String(responseBuffer.length);
            }
            if (exchange.contractChecked) {
              check(violations, () =>
                contract.validateResponse({
                  method: exchange.method,
                  url,
                  status: up.statusCode ?? 0,
                  contentType: up.headers['content-type'],
                  body: exchange.responseBody,
                }),
              );
            }
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(responseBuffer);
          });
          up.on('error', () => res.destroy());
        },
      );
      // The sandbox dropped the connection ("response lost") or the client gave up (timeout): pass it on.
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    corruptNextResponse: (method, path, rewrite) => void corruptions.push({ method, path, rewrite }),
    exchanges,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
