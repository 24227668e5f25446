// The codec server the Web UI calls: bearer token required, CORS only for the Web UI's origin, and
// Temporal's /encode + /decode JSON protocol round-trips.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { createCodecServer } from '../../src/codec/server';
import { EncryptionCodec } from '../../src/codec';
import { KeyRing, parseAesKey } from '../../src/codec/aes';
import { createLogger } from '../../src/logging/logger';

const TOKEN = randomBytes(24).toString('hex');
const UI = 'http://localhost:8233';
const payloads = [
  {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from(JSON.stringify({ employee: 'Jens Hansen' })).toString('base64'),
  },
];

describe('codec server', () => {
  let server: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    const codec = new EncryptionCodec(new KeyRing([parseAesKey('k1', randomBytes(32).toString('base64'))]));
    server = createCodecServer({
      codec,
      token: TOKEN,
      corsOrigins: [UI],
      logger: createLogger({ level: 'silent' }),
    });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });

  test.each([
    ['no token', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }],
    ['the token without the Bearer scheme', { authorization: TOKEN }],
  ])('refuses a request with %s', async (_what, headers) => {
    for (const path of ['/encode', '/decode']) {
      const response = await post(path, { payloads }, headers);
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain('Jens');
    }
  });

  test('encodes and decodes with the right token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const encoded = (await (await post('/encode', { payloads }, auth)).json()) as {
      payloads: typeof payloads;
    };
    expect(Buffer.from(encoded.payloads[0]!.data, 'base64').toString('latin1')).not.toContain('Jens');
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(
      'binary/encrypted',
    );
    const decoded = await (await post('/decode', encoded, auth)).json();
    expect(decoded).toEqual({ payloads });
  });

  test('accepts the token in the path, as the Web UI sends it, and refuses a wrong one there too', async () => {
    const encoded = await post(`/t/${TOKEN}/encode`, { payloads });
    expect(encoded.status).toBe(200);
    const decoded = await (await post(`/t/${TOKEN}/decode`, await encoded.json())).json();
    expect(decoded).toEqual({ payloads });
    expect((await post(`/t/${TOKEN}x/decode`, { payloads })).status).toBe(401);
  });

  test('answers CORS preflights for the Web UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${url}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const allowed = await preflight(UI);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('refuses a wrong token before reading the body: the answer comes while the body is still unsent', async () => {
    const { hostname, port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: hostname,
        port,
        method: 'POST',
        path: '/decode',
        headers: {
          'content-type': 'application/json',
          'content-length': String(7 * 1024 * 1024),
          authorization: 'Bearer wrong-token-wrong-token',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      // A first slice of a 7 MB body, and no more: a server waiting for the body never answers.
      req.write('{"payloads":[');
    });
    expect(status).toBe(401);
  });

  test('rejects a body that is not a payload list', async () => {
    const response = await post('/decode', { nope: true }, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(400);
  });
});
