import { BadInputError } from '../errors/errors.ts';
import { createRng, shuffle } from './rng.ts';

/** Stratified k-fold assignment: fold number per row, positives and negatives dealt round-robin after a seeded shuffle. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): Uint8Array {
  if (k < 2 || k > 50) throw new BadInputError(`folds must be between 2 and 50, got ${k}`);
  const n = labels.length;
  const rng = createRng(seed);
  const folds = new Uint8Array(n);
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if ((labels[i] as number) === cls) rows.push(i);
    if (rows.length < k) throw new BadInputError(`class ${cls} has ${rows.length} rows, fewer than ${k} folds`);
    const shuffled = shuffle(Uint32Array.from(rows), rng);
    shuffled.forEach((row, i) => {
      folds[row] = i % k;
    });
  }
  return folds;
}

export interface RowSplit {
  train: Uint32Array;
  test: Uint32Array;
}

export function foldSplit(folds: Uint8Array, fold: number): RowSplit {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.length; i++) (folds[i] === fold ? test : train).push(i);
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}

/** Oldest (1 − fraction) of rows to train, newest fraction to test; ties in time keep row order. */
export function timeHoldout(time: ArrayLike<number>, fraction: number, rows?: Uint32Array): RowSplit {
  const all = rows ?? Uint32Array.from({ length: time.length }, (_, i) => i);
  const order = Array.from(all).sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
  const cut = Math.round(order.length * (1 - fraction));
  return { train: Uint32Array.from(order.slice(0, cut)).sort(), test: Uint32Array.from(order.slice(cut)).sort() };
}

/** Stratified random hold-out of `fraction` of the given rows. */
export function stratifiedHoldout(labels: ArrayLike<number>, rows: Uint32Array, fraction: number, seed: number): RowSplit {
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const members = Array.from(rows).filter((r) => (labels[r] as number) === cls);
    const shuffled = shuffle(Uint32Array.from(members), rng);
    const cut = Math.round(shuffled.length * fraction);
    shuffled.forEach((r, i) => {
      (i < cut ? test : train).push(r);
    });
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}
