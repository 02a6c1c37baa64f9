import { SyntheticPortalOptionsError } from '@closewise/sandboxes/seed/synthetic-portal-options-error';
import { BadInputError } from '../errors/errors.ts';

/**
 * The sandboxes package has its own error for options the generator refuses; the demo is where those options
 * come from the user, so it turns them into our bad-input error (exit 2, same message) and lets the rest through.
 */
export async function withSeedErrorsAsBadInput<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SyntheticPortalOptionsError) throw new BadInputError(error.message, error.issues);
    throw error;
  }
}
