import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Known secret and personal-data fields are redacted wherever they appear,
 * so a careless `log.info({ tokens })` cannot leak them.
 */
export const REDACTED_PATHS = [
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.email',
  '*.firstname',
  '*.lastname',
  '*.phone',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-hubspot-signature-v3"]',
  'DATABASE_URL',
  'CLOSEWISE_ENCRYPTION_KEY',
  'HUBSPOT_ACCESS_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '***' }, base: { service: 'closewise' } },
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}

/** A logger that writes nothing: the default for library code when the caller passes none. */
export const silentLogger: Logger = pino({ level: 'silent' });
