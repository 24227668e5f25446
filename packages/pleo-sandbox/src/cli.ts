// `npm run sandbox -- --seed demo --port 4010`: the Pleo sandbox on its own, for curl, the demo and
// drills. Prints the base URL and the credentials it accepts.
import { Command, InvalidArgumentError, Option } from 'commander';
import pino from 'pino';
import { faultRuleSchema, type FaultRuleInput } from './faults';
import { startSandbox } from './server';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0 = any free port)');
  return n;
}

function fault(value: string, previous: FaultRuleInput[]): FaultRuleInput[] {
  const parsed = faultRuleSchema.safeParse(JSON.parse(value));
  if (!parsed.success) throw new InvalidArgumentError(`not a fault rule: ${parsed.error.message}`);
  return [...previous, parsed.data];
}

/** `argv` as process.argv: [node, script, ...options]. Also `pleo-export sandbox …`. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const options = new Command('sandbox')
    .description('A local stand-in for Pleo’s API (see packages/pleo-sandbox/README.md)')
    .addOption(new Option('--seed <seed>', 'seed data').choices(['none', 'demo']).default('demo'))
    .option('--port <port>', 'port to listen on', port, 4010)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--fault <json>',
      'a fault rule, e.g. \'{"endpoint":"*","kind":"rate_limit","probability":0.1}\' (repeatable)',
      fault,
      [],
    )
    .option('--log-level <level>', 'pino log level', 'info')
    .parse(argv)
    .opts<{ seed: 'none' | 'demo'; port: number; host: string; fault: FaultRuleInput[]; logLevel: string }>();

  const logger = pino({ level: options.logLevel, base: { service: 'pleo-sandbox' } });
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    seed: options.seed,
    logger,
    faults: options.fault,
  });
  const { companyId, apiKey } = sandbox.credentials;
  const client = sandbox.oauthClient;
  process.stdout.write(
    [
      `Pleo sandbox listening on ${sandbox.url}`,
      '',
      'Demo company',
      `  company id:  ${companyId}`,
      `  API key:     ${apiKey}   (HTTP Basic, key as user, empty password)`,
      `  try:         curl -u '${apiKey}:' '${sandbox.url}/v3/export-jobs?statuses=pending'`,
      '',
      'OAuth 2.0 client (authorization code + PKCE S256; the demo user approves at once)',
      `  client id:     ${client.clientId}`,
      `  client secret: ${client.clientSecret}`,
      `  redirect URIs: ${client.redirectUris.join(', ')}`,
      `  authorize:     ${sandbox.url}/oauth/authorize   token: ${sandbox.url}/oauth/token`,
      '',
      `Admin API: ${sandbox.url}/admin/...   (see packages/pleo-sandbox/README.md)`,
      '',
    ].join('\n'),
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`sandbox failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
