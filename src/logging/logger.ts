import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

// Paths whose values are secrets or personal payloads: pino replaces them before a line is written.
export const REDACT_PATHS = [
  'apiKey',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'secret',
  'password',
  'authorization',
  'Authorization',
  '*.apiKey',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'config.headers.Authorization',
  'webhookSecret',
  '*.webhookSecret',
  // OAuth wire names and the client's configuration keys.
  'access_token',
  'refresh_token',
  'code_verifier',
  '*.access_token',
  '*.refresh_token',
  '*.code_verifier',
  'apiKeys',
  '*.apiKeys',
  'tokenEncryptionKey',
  '*.tokenEncryptionKey',
  'secretKey',
  '*.secretKey',
  // A subscription's `endpointAuth.credentials.password` sits deeper than one wildcard reaches.
  '*.*.password',
  '*.*.*.password',
];

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'pleo-export' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/** The process-wide logger; modules take a child with their own bindings. */
export const logger = createLogger();

export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * `--log-format` (or LOG_FORMAT) when given; else readable lines for a person at a terminal, and one
 * JSON object per line anywhere else (a file, a pipe, a log collector).
 */
export function chooseLogFormat(asked: string | undefined, stream: { isTTY?: boolean }): LogFormat {
  if (asked === undefined || asked === '') return stream.isTTY ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(asked)) return asked as LogFormat;
  throw new Error(`--log-format must be ${LOG_FORMATS.map((f) => `"${f}"`).join(' or ')}, not "${asked}"`);
}

/** Where log lines go in a format: a file descriptor (2 = stderr) or a stream. */
export function logDestination(
  format: LogFormat,
  target: number | NodeJS.WritableStream = 2,
  colors = false,
): DestinationStream {
  if (format === 'json') return typeof target === 'number' ? pino.destination(target) : target;
  // Synchronous, in this thread: a line is on screen before the process can exit, in order.
  return pinoPretty({
    destination: target,
    sync: true,
    colorize: colors,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
  });
}

/** The logger of a command run by a person or a supervisor: on stderr, stdout stays for results. */
export function stderrLogger(options: LoggerOptions, asked = process.env.LOG_FORMAT): Logger {
  const format = chooseLogFormat(asked, process.stderr);
  return createLogger(options, logDestination(format, 2, process.stderr.isTTY === true));
}
