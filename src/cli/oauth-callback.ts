// The local end of an OAuth authorization-code sign-in (`connect --oauth`, `connect xero`): a one-shot
// HTTP listener on the redirect URI that hands back the browser's callback URL.
import { createServer } from 'node:http';

/** Waits for the browser's redirect to `redirectUri` and returns the full callback URL. */
export async function awaitCallback(
  redirectUri: string,
  timeoutMs: number,
  onListening: () => Promise<void> | void,
): Promise<URL> {
  const target = new URL(redirectUri);
  return new Promise<URL>((resolve, reject) => {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `${target.protocol}//${target.host}`);
      if (url.pathname !== target.pathname) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Pleo is connected. You can close this window.\n');
      finish(() => resolve(url));
    });
    const timer = setTimeout(
      () =>
        finish(() => reject(new Error(`no OAuth callback within ${timeoutMs / 1000} s: run connect again`))),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
      settle();
    };
    server.once('error', (err) =>
      finish(() =>
        reject(new Error(`cannot listen on ${target.host} for the OAuth callback: ${err.message}`)),
      ),
    );
    server.listen(Number(target.port || 80), target.hostname.replace(/^\[|\]$/g, ''), () => {
      void (async () => onListening())().catch((err: Error) => finish(() => reject(err)));
    });
  });
}
