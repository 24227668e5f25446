// Secrets never reach a log line: pino redacts them wherever they sit in the logged object. Logs
// read as lines for a person at a terminal and as JSON for machines.
import { Writable } from 'node:stream';
import { chooseLogFormat, createLogger, logDestination } from '../../src/logging/logger';
import { forwardSdkLog } from '../../src/logging/temporal-runtime';

function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

test('tokens, keys, passwords and webhook secrets are redacted at any of the known paths', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'info' }, sink);
  const secrets = [
    'key-AAAA1111',
    'tok-BBBB2222',
    'rt-CCCC3333',
    'whsec_DDDD4444',
    'pw-EEEE5555',
    'Basic FFFF6666',
  ];
  logger.info(
    {
      apiKey: secrets[0],
      connection: { accessToken: secrets[1], refreshToken: secrets[2] },
      webhookSecret: secrets[3],
      tryton: { password: secrets[4] },
      request: { headers: { authorization: secrets[5] } },
      subscription: { endpointAuth: { credentials: { password: secrets[6] } } },
      oauth: { refresh_token: secrets[7] },
      jobId: 'job-visible',
    },
    'connecting',
  );
  const output = lines.join('');
  expect(output).toContain('job-visible');
  for (const secret of secrets) expect(output).not.toContain(secret);
});

test('a terminal gets readable lines, anything else JSON; --log-format decides when given', () => {
  expect(chooseLogFormat(undefined, { isTTY: true })).toBe('pretty');
  expect(chooseLogFormat(undefined, { isTTY: false })).toBe('json');
  expect(chooseLogFormat(undefined, {})).toBe('json');
  expect(chooseLogFormat('json', { isTTY: true })).toBe('json');
  expect(chooseLogFormat('pretty', { isTTY: false })).toBe('pretty');
  expect(() => chooseLogFormat('jsno', { isTTY: true })).toThrow(
    '--log-format must be "pretty" or "json", not "jsno"',
  );
});

test('readable lines name level, message and fields, one line per entry, secrets still redacted', () => {
  const out = sink();
  const logger = createLogger({ level: 'info' }, logDestination('pretty', out.stream));
  logger.info({ jobId: 'job-7', apiKey: 'key-SECRET', connection: { accessToken: 'tok-SECRET' } }, 'claimed');
  expect(out.lines).toHaveLength(1);
  expect(out.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO.*: claimed \{.*"jobId":"job-7"/);
  expect(out.lines[0]).not.toMatch(/SECRET|"pid"|"service"/);

  const json = sink();
  createLogger({ level: 'info' }, logDestination('json', json.stream)).info({ jobId: 'job-7' }, 'claimed');
  expect(JSON.parse(json.lines[0]!)).toMatchObject({ level: 30, msg: 'claimed', jobId: 'job-7' });
});

test("the SDK's webpack report becomes a list of lines at debug, not one escaped string at info", () => {
  const out = sink();
  const forward = forwardSdkLog(createLogger({ level: 'debug' }, out.stream));
  const report =
    'asset workflow-bundle.js 1.64 MiB [emitted]\nmodules by path ./src/ 29.9 KiB\nwebpack compiled';
  forward({ level: 'INFO', message: report, meta: { taskQueue: 'q' }, timestampNanos: 0n });
  forward({
    level: 'INFO',
    message: 'Workflow bundle created',
    meta: { size: '1.64MB' },
    timestampNanos: 0n,
  });
  forward({ level: 'ERROR', message: 'Module not found\n  in ./src/x.ts', timestampNanos: 0n });
  const [webpack, created, failed] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(webpack).toMatchObject({
    level: 20,
    msg: 'asset workflow-bundle.js 1.64 MiB [emitted]',
    lines: ['modules by path ./src/ 29.9 KiB', 'webpack compiled'],
    taskQueue: 'q',
  });
  expect(created).toMatchObject({ level: 30, msg: 'Workflow bundle created', size: '1.64MB' });
  expect(failed).toMatchObject({ level: 50, msg: 'Module not found', lines: ['  in ./src/x.ts'] });
});
