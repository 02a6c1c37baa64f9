import { describe, expect, it } from 'vitest';
import { oracleAuc, rankAuc } from './auc.ts';
import { createRng } from './prng.ts';

describe('rankAuc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rankAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rankAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('gives ties half credit', () => {
    expect(rankAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // Positive 0.7 beats both negatives; positive 0.3 ties one negative and loses to the other: (2 + 0.5) / 4.
    expect(rankAuc([0.3, 0.3, 0.7, 0.5], [0, 1, 1, 0])).toBe(0.625);
  });

  it('matches the pairwise definition on random data', () => {
    const rng = createRng(7);
    const scores = Array.from({ length: 300 }, () => Math.round(rng.next() * 20) / 20);
    const labels = scores.map((s) => (rng.bernoulli(s) ? 1 : 0) as 0 | 1);
    let wins = 0;
    let pairs = 0;
    scores.forEach((si, i) => {
      scores.forEach((sj, j) => {
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          wins += si > sj ? 1 : si === sj ? 0.5 : 0;
        }
      });
    });
    expect(rankAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('refuses a single class', () => {
    expect(() => rankAuc([0.1, 0.2], [1, 1])).toThrow(RangeError);
  });
});

describe('oracleAuc', () => {
  it('scores the chosen ids only and refuses ids without truth', () => {
    const truth = { a: 0.9, b: 0.1, c: 0.5 };
    const outcomes = { a: 1, b: 0, c: 0 } as const;
    expect(oracleAuc(truth, outcomes)).toBe(1);
    expect(oracleAuc(truth, outcomes, ['a', 'c'])).toBe(1);
    expect(() => oracleAuc(truth, outcomes, ['a', 'zzz'])).toThrow(RangeError);
  });
});
