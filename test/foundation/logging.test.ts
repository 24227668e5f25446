// Secrets never reach a log line: pino redacts them wherever they sit in the logged object.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';

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
