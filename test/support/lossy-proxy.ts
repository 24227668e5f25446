// An HTTP proxy that forwards every request and, when told to, swallows the reply after the server
// processed it: the "timeout after send" an integration must survive without booking twice.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  url: string;
  /** Called once the upstream answered a JSON-RPC `method`; resolve true to drop that reply. */
  onReply?: (method: string) => Promise<boolean> | boolean;
  close(): Promise<void>;
}

export async function startLossyProxy(target: () => string): Promise<LossyProxy> {
  const proxy: LossyProxy = { url: '', close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = String((JSON.parse(body.toString() || '{}') as { method?: string }).method);
      const upstream = request(
        `${target()}${req.url}`,
        { method: req.method, headers: req.headers },
        (reply) => {
          const parts: Buffer[] = [];
          reply.on('data', (c: Buffer) => parts.push(c));
          reply.on('end', () => {
            void Promise.resolve(proxy.onReply?.(method) ?? false).then((drop) => {
              if (drop) return void req.socket.destroy();
              res.writeHead(reply.statusCode ?? 502, reply.headers);
              res.end(Buffer.concat(parts));
            });
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((r) => server.close(() => r()));
  return proxy;
}

/** Drops the reply to the next call of `method` only, then runs `after` (e.g. kill the server). */
export function dropNextReply(proxy: LossyProxy, method: string, after?: () => Promise<void>): void {
  proxy.onReply = async (called) => {
    if (called !== method) return false;
    proxy.onReply = undefined;
    await after?.();
    return true;
  };
}
