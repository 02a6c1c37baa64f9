// Preview stand-in for @salesforce/apex/ClosewiseController.getChange.
import { CHANGES } from '../fixtures.js';

export default async function getChange({ recordId }) {
  return CHANGES[recordId] ?? { changed: false };
}
