import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../errors.ts';
import { parseSoql } from './parser.ts';

describe('SOQL subset parser', () => {
  it('parses fields, relationship paths, nested conditions, ORDER BY and LIMIT', () => {
    const q = parseSoql(
      "SELECT Id, Account.Owner.Email FROM Opportunity WHERE (StageName = 'A' OR Amount > 10.5) AND NOT IsWon = true AND CloseDate IN (2026-01-01) ORDER BY CreatedDate DESC NULLS FIRST, Id LIMIT 10",
    );
    expect(q.select).toEqual({
      kind: 'fields',
      fields: [expect.objectContaining({ path: ['Id'] }), expect.objectContaining({ path: ['Account', 'Owner', 'Email'] })],
    });
    expect(q.where?.kind).toBe('and');
    expect(q.orderBy.map((o) => [o.field.path.join('.'), o.descending, o.nullsLast])).toEqual([
      ['CreatedDate', true, false],
      ['Id', false, false],
    ]);
    expect(q.limit).toBe(10);
  });

  it('reads escapes in strings, datetimes with offsets and relative date literals', () => {
    const q = parseSoql(
      "SELECT Id FROM Lead WHERE Name = 'O\\'Brien' AND CreatedDate >= 2026-01-01T10:00:00.000+0100 AND LastModifiedDate = LAST_N_DAYS:7",
    );
    const text = JSON.stringify(q.where);
    expect(text).toContain("O'Brien");
    expect(text).toContain(String(Date.parse('2026-01-01T09:00:00Z')));
    expect(text).toContain('"name":"LAST_N_DAYS","n":7');
  });

  it.each([
    ['SELECT Id FROM Opportunity GROUP BY Id', 'GROUP'],
    ['SELECT Id FROM Opportunity LIMIT 1 OFFSET 5', 'OFFSET'],
    ['SELECT MAX(Amount) FROM Opportunity', '('],
    ['SELECT Id FROM Opportunity WHERE Id IN (SELECT OpportunityId FROM OpportunityContactRole)', 'SELECT'],
    ['SELECT Id FROM Opportunity WHERE', '<EOF>'],
    ["SELECT Id FROM Opportunity WHERE Name = 'unterminated", undefined],
    ['DELETE FROM Opportunity', 'DELETE'],
    ['SELECT Id FROM Opportunity; DROP', ';'],
  ])('rejects %s with MALFORMED_QUERY', (soql, token) => {
    let error: unknown;
    try {
      parseSoql(soql);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ status: 400, errorCode: 'MALFORMED_QUERY' });
    if (token) expect((error as Error).message).toContain(`unexpected token: '${token}'`);
    expect((error as Error).message).toMatch(/ERROR at Row:1:Column:\d+/);
  });
});
