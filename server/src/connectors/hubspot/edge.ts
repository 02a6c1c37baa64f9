import { ClosewiseError } from '../../errors/errors.ts';
import { isCrmFailure } from '../errors.ts';
import { hubSpotTypedError } from './classify-error.ts';

/**
 * Runs one connector method so that whatever HubSpot answered leaves it as a typed ClosewiseError (rate
 * limited, unauthorized, forbidden, cursor invalid, upstream), classified once here after HubSpotApi's
 * retries. Typed errors pass as they are; errors that did not come from HubSpot (the sink's, a bug) too:
 * they are not HubSpot's to classify.
 */
export async function atHubSpotEdge<T>(context: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ClosewiseError || !isCrmFailure(error)) throw error;
    throw hubSpotTypedError(error, context);
  }
}
