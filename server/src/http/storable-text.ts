import { BadInputError } from '../errors/errors.ts';

/** JSON nested deeper than this is no request of ours (card bodies are 2 levels, settings 4). */
export const MAX_JSON_DEPTH = 32;

/** NUL, which PostgreSQL text cannot hold, and UTF-16 halves without their partner, which it cannot encode. */
// Built from a string: NUL is exactly the control character this pattern exists to find.
const UNSTORABLE_SOURCE = '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text without NUL and lone surrogates: for what HubSpot itself sends us (a portal's own values). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, '');
}

type Problem = { path: string; reason: 'text' | 'depth' };

/** The first string (value or key) the database could not store, or the first level nested too deep. */
export function findUnstorable(value: unknown, options: { text?: boolean } = {}): Problem | null {
  const checkText = options.text ?? true;
  // Iterative: a hostile body nested 100,000 deep must not overflow the stack.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      if (checkText && !isStorableText(current)) return { path, reason: 'text' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { path, reason: 'depth' };
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (checkText && !isStorableText(key)) return { path: childPath, reason: 'text' };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Throws the 400 of the text policy for a parsed body: NUL, lone surrogates, or absurd nesting. With
 * `text: false` only the nesting is checked (for input whose text is made storable instead).
 */
export function assertStorable(value: unknown, what = 'body', options: { text?: boolean } = {}): void {
  const problem = findUnstorable(value, options);
  if (!problem) return;
  const where = problem.path ? `${what} field ${problem.path.replace(/[^\w.$-]/g, '?').slice(0, 100)}` : what;
  throw new BadInputError(
    problem.reason === 'depth'
      ? `Invalid ${where}: nested deeper than ${MAX_JSON_DEPTH} levels.`
      : `Invalid ${where}: contains a NUL character or an unpaired UTF-16 surrogate.`,
  );
}

/** A deep copy of parsed JSON with every string (and key) made storable; depth is limited by the caller's check. */
export function withStorableText(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(withStorableText);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), withStorableText(child)]));
  }
  return value;
}
