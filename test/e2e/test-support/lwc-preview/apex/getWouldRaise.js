// Preview stand-in for @salesforce/apex/ClosewiseController.getWouldRaise.
import { WOULD_RAISE } from '../fixtures.js';

export default async function getWouldRaise({ recordId }) {
  return WOULD_RAISE[recordId] ?? { suggestions: [] };
}
