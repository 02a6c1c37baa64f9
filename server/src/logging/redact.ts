/**
 * Redaction of secrets and personal data at any depth of a log object: nested objects, arrays, and Errors' own
 * properties. Keys are compared without case, `-` or `_`, so `access_token`, `accessToken`, `Authorization`
 * and `set-cookie` are all caught wherever they sit.
 */
export const CENSOR = '***';

const SECRET_KEYS: ReadonlySet<string> = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'privateapptoken',
  'clientsecret',
  'secret',
  'password',
  'passwd',
  'apikey',
  'xapikey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xhubspotsignature',
  'xhubspotsignaturev3',
  'encryptionkey',
  'tokenciphertext',
  // The config's secret variables (config.ts marks them), when a config object is logged.
  'databaseurl',
  'closewiseencryptionkey',
  'hubspotaccesstoken',
  'hubspotclientsecret',
  'salesforceclientsecret',
  // Personal data of CRM contacts.
  'email',
  'emailaddress',
  'firstname',
  'lastname',
  'fullname',
  'phone',
  'phonenumber',
  'mobilephone',
]);

/** Deeper than this a log object is not ours to print in full: the rest is elided rather than left unchecked. */
const MAX_DEPTH = 10;

function normalise(key: string): string {
  return key.replace(/[-_\s]/g, '').toLowerCase();
}

export function isRedactedKey(key: string): boolean {
  return SECRET_KEYS.has(normalise(key));
}

/** A bearer token in a string value (a header copied into a message field) is a secret whatever its key. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/i;
const BEARER_ALL = new RegExp(BEARER.source, 'gi');

function redactString(value: string): string {
  return BEARER.test(value) ? value.replace(BEARER_ALL, `$1 ${CENSOR}`) : value;
}

/**
 * `value` with every secret replaced by `***`. Copy on write: an object with nothing to redact is returned as
 * it is (no allocation), so logging stays cheap; cycles are cut.
 */
export function redactDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value) || value instanceof Date) return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, index) => {
        const redacted = redactDeep(item, depth + 1, seen);
        if (redacted !== item) {
          copy ??= value.slice();
          copy[index] = redacted;
        }
      });
      return copy ?? value;
    }
    return value instanceof Error ? redactError(value, depth, seen) : redactObject(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

/** `value`'s own enumerable properties redacted; `value` itself when none needed it. */
function redactObject(value: object, depth: number, seen: WeakSet<object>): object {
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const redacted = isRedactedKey(key) && item !== undefined && item !== null ? CENSOR : redactDeep(item, depth + 1, seen);
    if (redacted !== item) {
      copy ??= Object.fromEntries(Object.entries(value));
      copy[key] = redacted;
    }
  }
  return copy ?? value;
}

/**
 * An Error with nothing to hide stays as it is; one whose own properties (an SDK's `response.headers`, a
 * `config` with tokens) or cause hold secrets is copied — same class, message and stack, so pino's err
 * serializer prints it as usual — with those properties redacted.
 */
function redactError(error: Error, depth: number, seen: WeakSet<object>): unknown {
  const own = redactObject(error, depth, seen);
  const cause = error.cause === undefined ? undefined : redactDeep(error.cause, depth + 1, seen);
  const message = redactString(error.message);
  if (own === error && cause === error.cause && message === error.message) return error;
  const copy: Error = Object.create(Object.getPrototypeOf(error) as object);
  const hidden = (value: unknown) => ({ value, enumerable: false, writable: true, configurable: true });
  Object.defineProperties(copy, {
    message: hidden(message),
    stack: hidden(error.stack),
    ...(cause === undefined ? {} : { cause: hidden(cause) }),
  });
  return Object.assign(copy, own);
}
