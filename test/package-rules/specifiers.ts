/** What a source file refers to: imports, re-exports, dynamic imports, and code files it runs by URL or by name. */
export interface Specifier {
  kind: 'import' | 'url' | 'resolve';
  value: string;
  line: number;
}

/** After one of these (ignoring spaces), a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/**
 * Masks everything that is not code, keeping offsets (so the caller can read the original text at a match):
 * comments, template literals and regular expressions become spaces, string contents become '_' between their
 * quotes. Comments show example imports, tests write fixture sources in template literals, strings and
 * patterns mention keywords and quotes; none of them is an import.
 */
export function maskNonCode(source: string): string {
  const out = source.split('');
  let i = 0;
  let previous = '';
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && BEFORE_REGEX.has(previous)) {
      const start = i + 1;
      let inClass = false;
      i += 1;
      while (i < source.length && source[i] !== '\n' && (inClass || source[i] !== '/')) {
        if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i += source[i] === '\\' ? 2 : 1;
      }
      blank(start, i);
      i += 1;
      previous = '/';
    } else if (ch === "'" || ch === '"') {
      const start = i + 1;
      i += 1;
      while (i < source.length && source[i] !== ch && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      for (let k = start; k < i && k < source.length; k += 1) out[k] = '_';
      i += 1;
      previous = ch;
    } else if (ch === '`') {
      const start = i + 1;
      i += 1;
      while (i < source.length && source[i] !== '`') i += source[i] === '\\' ? 2 : 1;
      blank(start, i);
      i += 1;
      previous = '`';
    } else {
      if (!/\s/.test(ch!)) previous = /[\w$)\]]/.test(ch!) ? 'x' : ch!;
      i += 1;
    }
  }
  return out.join('');
}

const PATTERNS: { kind: Specifier['kind']; pattern: RegExp }[] = [
  { kind: 'import', pattern: /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/dg },
  { kind: 'import', pattern: /\bimport\s*(['"])([^'"\n]+)\1/dg },
  { kind: 'import', pattern: /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/dg },
  { kind: 'url', pattern: /\bnew\s+URL\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url/dg },
  { kind: 'resolve', pattern: /(?:\brequire|\bimport\.meta|\))\.resolve\(\s*(['"])([^'"\n]+)\1/dg },
];

export function extractSpecifiers(source: string): Specifier[] {
  const text = maskNonCode(source);
  const found: Specifier[] = [];
  for (const { kind, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const [start, end] = match.indices![2]!;
      found.push({ kind, value: source.slice(start, end), line: text.slice(0, start).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
