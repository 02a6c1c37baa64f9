/**
 * The stored score's shape lives with the store that parses it (store/columns/score-details.ts); the scoring
 * core builds these values and re-exports the schema and types for its callers.
 */
export {
  type MachineAction,
  SCORE_KINDS,
  type ScoreDetails,
  scoreDetailsSchema,
  type WriteFields,
  writeFieldsSchema,
} from '../store/columns/score-details.ts';

/** Written in front of the reasons while a shipped prior model scores the record, so the CRM user sees it too. */
export const PRIOR_NOTE = 'Prior model (this portal has too little history yet): ';

/** "+ Last meeting 3 days ago; − Only one contact on the deal" — one line for a CRM text field. */
export function reasonsLine(reasons: { direction: string; text: string }[]): string {
  return reasons.map((r) => `${r.direction === 'positive' ? '+' : r.direction === 'negative' ? '−' : '·'} ${r.text}`).join('; ');
}
