import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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
