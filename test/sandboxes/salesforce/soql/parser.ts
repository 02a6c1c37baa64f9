import { soqlError } from '../errors.ts';
import type { ComparisonOperator, Condition, FieldRef, Literal, OrderBy, SoqlQuery } from './ast.ts';

/**
 * A recursive-descent parser for the SOQL subset: SELECT fields (relationship paths too) or COUNT(),
 * FROM one object, WHERE with AND/OR/NOT/parentheses, comparisons, IN/NOT IN, LIKE, date and datetime
 * literals and TODAY/YESTERDAY/TOMORROW/LAST_N_DAYS:n/NEXT_N_DAYS:n, ORDER BY, LIMIT. Anything else is
 * answered with MALFORMED_QUERY as Salesforce does, pointing at the token it did not expect.
 */
type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/;
const RELATIVE_DATES = new Set(['TODAY', 'YESTERDAY', 'TOMORROW']);
const RELATIVE_N_DATES = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const UNSUPPORTED = new Set(['GROUP', 'HAVING', 'OFFSET', 'FOR', 'WITH', 'TYPEOF', 'USING', 'ROLLUP', 'CUBE', 'INCLUDES', 'EXCLUDES']);

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const rest = soql.slice(i);
    const ch = soql.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length; j += 1) {
        const c = soql.charAt(j);
        if (c === '\\') {
          const next = soql.charAt(j + 1);
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 1;
        } else if (c === "'") break;
        else value += c;
      }
      if (j >= soql.length) throw soqlError('MALFORMED_QUERY', soql, i, `line 1:${i} mismatched character '<EOF>' expecting '''`);
      tokens.push({ kind: 'string', text: value, position: i });
      i = j + 1;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', text: datetime[0], position: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', text: date[0], position: i });
      i += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number && (ch !== '-' || /\d/.test(soql.charAt(i + 1)))) {
      tokens.push({ kind: 'number', text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], position: i });
      i += ident[0].length;
      continue;
    }
    const op = /^(!=|<>|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0] === '<>' ? '!=' : op[0], position: i });
      i += op[0].length;
      continue;
    }
    if ('(),:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, position: i });
      i += 1;
      continue;
    }
    throw soqlError('MALFORMED_QUERY', soql, i, `unexpected token: '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', position: soql.length });
  return tokens;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private readonly soql: string;

  constructor(soql: string) {
    this.soql = soql;
    this.tokens = tokenize(soql);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'eof', text: '<EOF>', position: this.soql.length };
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private unexpected(token: Token = this.peek()): never {
    throw soqlError('MALFORMED_QUERY', this.soql, token.position, `unexpected token: '${token.text}'`);
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.unexpected();
    return this.next();
  }

  private expectPunct(p: string): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== p) this.unexpected();
    this.next();
  }

  private checkSupported(token: Token): void {
    if (token.kind === 'ident' && UNSUPPORTED.has(token.text.toUpperCase())) this.unexpected(token);
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.parseSelect();
    this.expectKeyword('FROM');
    const objectToken = this.next();
    if (objectToken.kind !== 'ident' || objectToken.text.includes('.')) this.unexpected(objectToken);
    let where: Condition | undefined;
    const orderBy: OrderBy[] = [];
    let limit: number | undefined;
    this.checkSupported(this.peek());
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.parseOr();
    }
    this.checkSupported(this.peek());
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      do {
        orderBy.push(this.parseOrderItem());
      } while (this.peek().text === ',' && this.next());
    }
    this.checkSupported(this.peek());
    if (this.isKeyword('LIMIT')) {
      this.next();
      const n = this.next();
      if (n.kind !== 'number' || !/^\d+$/.test(n.text)) this.unexpected(n);
      limit = Number(n.text);
    }
    if (this.peek().kind !== 'eof') this.unexpected();
    return { soql: this.soql, select, object: { name: objectToken.text, position: objectToken.position }, where, orderBy, limit };
  }

  private parseSelect(): SoqlQuery['select'] {
    const first = this.peek();
    if (first.kind === 'ident' && first.text.toUpperCase() === 'COUNT' && this.tokens[this.index + 1]?.text === '(') {
      this.next();
      this.expectPunct('(');
      this.expectPunct(')');
      return { kind: 'count', position: first.position };
    }
    const fields: FieldRef[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === '(') this.unexpected(this.peek()); // sub-queries are outside the subset
      if (token.kind !== 'ident' || token.text.toUpperCase() === 'FROM') this.unexpected(token);
      this.checkSupported(token);
      if (this.peek().text === '(') this.unexpected(this.peek()); // aggregate functions other than COUNT()
      fields.push({ path: token.text.split('.'), position: token.position });
      if (this.peek().text !== ',') break;
      this.next();
    }
    return { kind: 'fields', fields };
  }

  private parseOrderItem(): OrderBy {
    const token = this.next();
    if (token.kind !== 'ident') this.unexpected(token);
    let descending = false;
    if (this.isKeyword('ASC')) this.next();
    else if (this.isKeyword('DESC')) {
      this.next();
      descending = true;
    }
    // Salesforce puts nulls first when ascending and last when descending unless told otherwise.
    let nullsLast = descending;
    if (this.isKeyword('NULLS')) {
      this.next();
      if (this.isKeyword('FIRST')) nullsLast = false;
      else if (this.isKeyword('LAST')) nullsLast = true;
      else this.unexpected();
      this.next();
    }
    return { field: { path: token.text.split('.'), position: token.position }, descending, nullsLast };
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', inner: this.parseNot() };
    }
    if (this.peek().text === '(') {
      this.next();
      if (this.isKeyword('SELECT')) this.unexpected(); // semi-joins are outside the subset
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Condition {
    const fieldToken = this.next();
    if (fieldToken.kind !== 'ident') this.unexpected(fieldToken);
    this.checkSupported(fieldToken);
    const field: FieldRef = { path: fieldToken.text.split('.'), position: fieldToken.position };
    if (this.isKeyword('IN') || this.isKeyword('NOT')) {
      const negated = this.isKeyword('NOT');
      this.next();
      if (negated) this.expectKeyword('IN');
      this.expectPunct('(');
      if (this.isKeyword('SELECT')) this.unexpected();
      const values: Literal[] = [];
      do {
        values.push(this.parseLiteral());
      } while (this.peek().text === ',' && this.next());
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      return { kind: 'compare', field, op: 'LIKE', value: this.parseLiteral() };
    }
    this.checkSupported(this.peek());
    const op = this.next();
    if (op.kind !== 'op') this.unexpected(op);
    return { kind: 'compare', field, op: op.text as ComparisonOperator, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.next();
    const position = token.position;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, position };
      case 'number':
        return { kind: 'number', value: Number(token.text), position };
      case 'date':
        return { kind: 'date', value: token.text, position };
      case 'datetime': {
        const ms = Date.parse(token.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        if (Number.isNaN(ms)) this.unexpected(token);
        return { kind: 'datetime', value: ms, position };
      }
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', position };
        if (word === 'NULL') return { kind: 'null', position };
        if (RELATIVE_DATES.has(word)) return { kind: 'relativeDate', name: word, n: 0, position };
        if (RELATIVE_N_DATES.has(word)) {
          this.expectPunct(':');
          const n = this.next();
          if (n.kind !== 'number' || !/^\d+$/.test(n.text)) this.unexpected(n);
          return { kind: 'relativeDate', name: word, n: Number(n.text), position };
        }
        return this.unexpected(token);
      }
      default:
        return this.unexpected(token);
    }
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(soql.trim()).parse();
}
