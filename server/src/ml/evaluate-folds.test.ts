import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors/errors.ts';
import { crossValidate } from './evaluate.ts';
import { syntheticData } from './test-support/synthetic.ts';

// The bench scores scikit-learn and XGBoost on the fold assignment our CV used: a given assignment must be
// the one every fold is held out on, not a fresh stratified split.
describe('crossValidate with a given fold assignment', () => {
  const data = syntheticData(600, 3);
  const input = { features: data.features, rows: data.rows, labels: data.labels, seed: 42, candidates: ['gbdt' as const] };

  it('holds out exactly the rows the assignment puts in each fold', () => {
    // Deliberately unequal folds (first 60 rows, next 140, the rest), which stratified folds never produce.
    const assignment = Uint8Array.from({ length: 600 }, (_, i) => (i < 60 ? 0 : i < 200 ? 1 : 2));
    const cv = crossValidate(input, 3, undefined, assignment);
    expect(cv.folds.map((f) => f.rows)).toEqual([60, 140, 400]);
    const positivesIn = (fold: number) => data.labels.reduce((sum, y, i) => sum + (assignment[i] === fold ? y : 0), 0);
    expect(cv.folds.map((f) => f.positives)).toEqual([positivesIn(0), positivesIn(1), positivesIn(2)]);
  });

  it('rejects an assignment of the wrong length, an out-of-range fold or an empty fold', () => {
    expect(() => crossValidate(input, 3, undefined, new Uint8Array(599))).toThrow(BadInputError);
    expect(() => crossValidate(input, 3, undefined, new Uint8Array(600).fill(3))).toThrow(/fold of row 1 is 3, expected 0..2/);
    expect(() =>
      crossValidate(
        input,
        3,
        undefined,
        Uint8Array.from({ length: 600 }, (_, i) => i % 2),
      ),
    ).toThrow(/fold 2 of the assignment has no rows/);
  });
});
