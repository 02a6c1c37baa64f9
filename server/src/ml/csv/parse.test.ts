import { describe, expect, it } from 'vitest';
import { datasetFromCsv } from './dataset.ts';
import { parseCsv } from './parse.ts';

describe('parseCsv', () => {
  it('reads ; separated, quoted, CRLF, BOM-prefixed exports', () => {
    const table = parseCsv('\ufeff"name";"amount";"note"\r\n"Acme; Inc";12.5;"said ""hi""\nthen left"\r\n"Beta";;\r\n', 'x.csv');
    expect(table.separator).toBe(';');
    expect(table.header).toEqual(['name', 'amount', 'note']);
    expect(table.rows).toEqual([
      ['Acme; Inc', '12.5', 'said "hi"\nthen left'],
      ['Beta', '', ''],
    ]);
    expect(table.lines).toEqual([2, 4]);
  });

  it('reads , separated files without a trailing newline', () => {
    const table = parseCsv('a,b\n1,2\n3,4', 'y.csv');
    expect(table.separator).toBe(',');
    expect(table.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('names the file and line of a ragged row, and rejects empty files', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'r.csv')).toThrow('r.csv: line 3 has 1 fields, the header has 2');
    expect(() => parseCsv('', 'e.csv')).toThrow('e.csv: the CSV file is empty');
    expect(() => parseCsv('\ufeff\n', 'e.csv')).toThrow('e.csv: the CSV file is empty');
    expect(() => parseCsv('a,b\n', 'h.csv')).toThrow('h.csv: the CSV file has a header but no data rows');
  });
});

describe('datasetFromCsv', () => {
  const csv = 'id;age;plan;won\n1;30;pro;yes\n2;;basic;no\n3;41;;yes\n4;NA;pro;no\n';
  it('types columns by content, keeps empty cells missing, and guesses the positive class', () => {
    const data = datasetFromCsv(parseCsv(csv, 'd.csv'), 'd.csv', { target: 'won', drop: ['id'], categorical: [] });
    expect(data.features).toEqual([
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ]);
    expect(Array.from(data.columns.age as Float64Array)).toEqual([30, Number.NaN, 41, Number.NaN]);
    expect(data.columns.plan).toEqual(['pro', 'basic', null, 'pro']);
    expect(Array.from(data.labels)).toEqual([1, 0, 1, 0]);
  });

  it('errors name the file, column and line', () => {
    const table = parseCsv(
      `${csv}5;abc;pro;no\n6;1;pro;no\n7;2;pro;no\n8;3;pro;no\n9;4;pro;no\n10;5;pro;no\n11;6;pro;no\n12;7;pro;no\n13;8;pro;no\n`,
      'd.csv',
    );
    expect(() => datasetFromCsv(table, 'd.csv', { target: 'won', drop: [], categorical: [] })).toThrow(
      "d.csv: column 'age', line 6: 'abc' is not a number (the column is numeric)",
    );
    expect(() => datasetFromCsv(table, 'd.csv', { target: 'nope', drop: [], categorical: [] })).toThrow("d.csv: no target column 'nope'");
    expect(() => datasetFromCsv(table, 'd.csv', { target: 'plan', drop: [], categorical: [] })).toThrow(/line 4: the target is empty/);
    const three = parseCsv('a;y\n1;x\n2;y\n3;z\n', 't.csv');
    expect(() => datasetFromCsv(three, 't.csv', { target: 'y', drop: [], categorical: [] })).toThrow(
      "t.csv: column 'y' has 3 classes (x, y, z), expected 2",
    );
    const constant = parseCsv('a;y\n1;yes\n2;yes\n', 'c.csv');
    expect(() => datasetFromCsv(constant, 'c.csv', { target: 'y', drop: [], categorical: [] })).toThrow(
      "c.csv: column 'y' is constant ('yes')",
    );
  });
});
