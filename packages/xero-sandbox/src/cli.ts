// `npm run xero-sandbox -- --port 4020`: the Xero stand-in on its own, for curl and local runs. Prints
// its URL, the demo organisation's tenant id and the OAuth client it accepts.
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { startXeroSandbox } from './server';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0 = any free port)');
  return n;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const options = new Command('xero-sandbox')
    .description('A local stand-in for Xero’s Accounting API (see packages/xero-sandbox/README.md)')
    .option('--port <port>', 'port to listen on', port, 4020)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--log-level <level>', 'pino log level', 'info')
    .parse(argv)
    .opts<{ port: number; host: string; logLevel: string }>();
  const xero = await startXeroSandbox({
    port: options.port,
    host: options.host,
    logger: pino({ level: options.logLevel, base: { service: 'xero-sandbox' } }),
  });
  const client = xero.oauthClient;
  process.stdout.write(
    [
      `Xero stand-in listening on ${xero.url}`,
      '',
      `Organisation "${xero.demo.name}"  tenant id: ${xero.demo.tenantId}`,
      `OAuth client id: ${client.clientId}   secret: ${client.clientSecret}`,
      `  redirect URIs: ${client.redirectUris.join(', ')}`,
      `  authorize: ${xero.url}/identity/connect/authorize   token: ${xero.url}/connect/token`,
      `Config: apiUrl, identityUrl and loginUrl = ${xero.url}`,
      '',
    ].join('\n'),
  );
  const stop = () => void xero.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Xero stand-in failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
