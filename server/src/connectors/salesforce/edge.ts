import { ClosewiseError } from '../../errors/errors.ts';
import { isCrmFailure } from '../errors.ts';
import { salesforceTypedError } from './classify-error.ts';

/**
 * Runs one connector method so that whatever Salesforce answered leaves it as a typed ClosewiseError (rate
 * limited, unauthorized, cursor invalid, upstream), classified once here. Typed errors (the budget's
 * ApiBudgetExhaustedError among them) pass as they are; errors that did not come from Salesforce (the sink's,
 * a bug) too: they are not Salesforce's to classify.
 */
export async function atSalesforceEdge<T>(context: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ClosewiseError || !isCrmFailure(error)) throw error;
    throw salesforceTypedError(error, context);
  }
}
