import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors/errors.ts';
import { startHubSpotDemoPortal } from './demo-portal.ts';
import { withSeedErrorsAsBadInput } from './seed-errors.ts';

describe('withSeedErrorsAsBadInput', () => {
  it('turns a seed the generator refuses into BadInputError with the generator message', async () => {
    const failure = startHubSpotDemoPortal(1.5);
    await expect(failure).rejects.toThrow(BadInputError);
    await expect(failure).rejects.toThrow(/^Invalid synthetic portal options:.*seed/s);
  });

  it('lets other errors and results through untouched', async () => {
    const other = new Error('sandbox down');
    await expect(withSeedErrorsAsBadInput(() => Promise.reject(other))).rejects.toBe(other);
    await expect(withSeedErrorsAsBadInput(() => 7)).resolves.toBe(7);
  });
});
