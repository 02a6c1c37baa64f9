/**
 * A small reader of Apex source, enough to follow calls inside one class: it finds each method, its
 * annotations and body, and walks the body in source order to tell whether the method reaches a callout
 * and whether an access check comes first. Comments and string literals are blanked before scanning so
 * a word in a comment or a message can neither satisfy nor trip a rule.
 */

/** Replaces comments and string literals by spaces, keeping every offset (and line) where it was. */
function blankCommentsAndStrings(source) {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const two = source.slice(i, i + 2);
    if (two === '//') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (two === '/*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (source[i] === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== "'") j += source[j] === '\\' ? 2 : 1;
      out += `'${' '.repeat(Math.max(0, j - i - 1))}'`;
      i = j + 1;
    } else {
      out += source[i];
      i += 1;
    }
  }
  return out;
}

/** The index just past the brace that closes the one opened at `open`. */
function matchBrace(code, open) {
  let depth = 0;
  for (let i = open; i < code.length; i += 1) {
    if (code[i] === '{') depth += 1;
    if (code[i] === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'new', 'when', 'else', 'do', 'try']);
const METHOD =
  /((?:@\w+(?:\s*\([^)]*\))?\s+)*)((?:(?:public|private|protected|global|static|override|virtual|webservice|testmethod)\s+)+)([\w.<>,\s[\]]+?)\s+(\w+)\s*\(([^)]*)\)\s*\{/g;

/** Every method with a body: { name, annotations, body }. Constructors and inner-class methods included. */
function parseMethods(source) {
  const code = blankCommentsAndStrings(source);
  const methods = [];
  for (const match of code.matchAll(METHOD)) {
    const name = match[4];
    if (KEYWORDS.has(name)) continue;
    const open = match.index + match[0].length - 1;
    const close = matchBrace(code, open);
    methods.push({ name, annotations: match[1], body: code.slice(open + 1, close - 1) });
  }
  return methods;
}

// What counts as proving the running user's access: a user-mode query or DML, a UserRecordAccess
// lookup, or a describe access check. What counts as a callout: building an Http or HttpRequest.
const ACCESS_CHECK = /\bWITH\s+USER_MODE\b|\bAccessLevel\.USER_MODE\b|\bUserRecordAccess\b|\.isAccessible\s*\(/;
const CALLOUT = /\bnew\s+Http(?:Request)?\s*\(|\bContinuation\b/;
const CALL = /\b(\w+)\s*\(/;

/**
 * For each @AuraEnabled method that reaches a callout (directly or through helpers of the class), the
 * first access-relevant thing it does in source order: 'check', or 'callout' when a callout can happen
 * before any check. Also which method holds the check, so its caller can see that it throws.
 */
function auraEntryPoints(source) {
  const methods = parseMethods(source);
  const byName = new Map();
  for (const m of methods) if (!byName.has(m.name)) byName.set(m.name, m);
  const scanner = new RegExp(`${ACCESS_CHECK.source}|${CALLOUT.source}|${CALL.source}`, 'g');

  function firstEvent(method, seen) {
    if (seen.has(method.name)) return null;
    const next = new Set(seen).add(method.name);
    for (const match of method.body.matchAll(scanner)) {
      if (ACCESS_CHECK.test(match[0])) return { kind: 'check', in: method };
      if (CALLOUT.test(match[0])) return { kind: 'callout', in: method };
      const callee = byName.get(match[1]);
      if (callee && callee !== method) {
        const event = firstEvent(callee, next);
        if (event) return event;
      }
    }
    return null;
  }

  function reachesCallout(method, seen) {
    if (seen.has(method.name)) return false;
    const next = new Set(seen).add(method.name);
    if (CALLOUT.test(method.body)) return true;
    for (const match of method.body.matchAll(new RegExp(CALL.source, 'g'))) {
      const callee = byName.get(match[1]);
      if (callee && callee !== method && reachesCallout(callee, next)) return true;
    }
    return false;
  }

  return methods
    .filter((m) => /@AuraEnabled\b/i.test(m.annotations))
    .map((m) => {
      const event = firstEvent(m, new Set());
      return {
        name: m.name,
        reachesCallout: reachesCallout(m, new Set()),
        first: event ? event.kind : null,
        checkThrows: event?.kind === 'check' ? /\bthrow\b/.test(event.in.body) : false,
      };
    });
}

module.exports = { auraEntryPoints, blankCommentsAndStrings, parseMethods };
