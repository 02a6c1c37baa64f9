import { type Logger, pino } from 'pino';
import { redactDeep } from './redact.ts';

export type { Logger };

/**
 * Structured JSON logs. Secrets (tokens, client secrets, passwords, API keys, Authorization/Cookie headers, the
 * HubSpot signature) and personal data (emails, names, phone numbers) are redacted at any depth — inside arrays,
 * nested objects and Errors' own properties — so a careless `log.info({ tokens })` cannot leak them.
 * The hook runs on each log call's object and on child-logger bindings, before pino serialises them.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return redactingChildBindings(
    pino(
      {
        level: options.level ?? 'info',
        base: { service: 'closewise' },
        formatters: {
          log: (object) => redactDeep(object) as Record<string, unknown>,
          bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
        },
      },
      (options.destination ?? process.stderr) as pino.DestinationStream,
    ),
  );
}

/**
 * pino resets the bindings formatter for child loggers, so `logger.child({ tokens })` would skip the hook:
 * bindings are redacted on the way in instead. Children are created from their parent's prototype, so this
 * one override covers grandchildren too.
 */
function redactingChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactDeep(bindings) as pino.Bindings, childOptions);
  } as Logger['child'];
  return logger;
}

/** A logger that writes nothing: the default for library code when the caller passes none. */
export const silentLogger: Logger = pino({ level: 'silent' });
