import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { isoSeconds } from './time.ts';

describe('isoSeconds', () => {
  it('equals Date.toISOString floored to the second, before and after 1970', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2000; i++) {
      const ms = rng.uniform(-2e12, 4e12);
      expect(isoSeconds(ms)).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString());
    }
    expect(isoSeconds(Date.parse('2026-11-01T00:00:00Z'))).toBe('2026-11-01T00:00:00.000Z');
  });
});
