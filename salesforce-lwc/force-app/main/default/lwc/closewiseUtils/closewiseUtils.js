/**
 * Shared helpers of the Closewise cards (a service component: no template).
 */

/** The card's async state, one of these tags; the template branches on it. */
export const STATES = Object.freeze({
  LOADING: 'loading',
  ERROR: 'error',
  NO_SCORE: 'noScore',
  PRIOR_MODEL: 'priorModel',
  CURRENT: 'current',
});

/**
 * Picks the card state from the getRecord wire and the model status wire.
 * A score older than the active model's activation was made by the prior model: still shown, but flagged,
 * because its probability is not calibrated like the current model's.
 */
export function scoreState({ record, error, scoredAt, modelActivatedAt }) {
  if (error) return STATES.ERROR;
  if (!record) return STATES.LOADING;
  if (!scoredAt) return STATES.NO_SCORE;
  if (modelActivatedAt && Date.parse(scoredAt) < Date.parse(modelActivatedAt)) return STATES.PRIOR_MODEL;
  return STATES.CURRENT;
}

/** Top reasons are stored one per line; keys are needed by for:each. */
export function splitReasons(text) {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, index) => ({ key: `reason-${index}`, text: line }));
}

/** Salesforce Percent fields hold 0–100; the ring wants 0–100 too. */
export function percentLabel(value) {
  if (value === null || value === undefined) return '—';
  return `${Math.round(Number(value))}%`;
}

/** Ring colour by band: low is a warning, not an error, because a low score is valid information. */
export function ringVariant(value) {
  if (value === null || value === undefined) return 'base';
  if (value >= 60) return 'base-autocomplete';
  if (value < 25) return 'warning';
  return 'base';
}

const TREND_ICONS = { Improving: 'utility:arrowup', Steady: 'utility:right', Declining: 'utility:arrowdown' };

export function trendIcon(trend) {
  return TREND_ICONS[trend] || 'utility:right';
}

/**
 * Reduces one or more LDS errors into a string[] of error messages (the lwc-recipes ldsUtils pattern):
 * UI API read errors, UI API DML errors, Apex and network errors, and JS errors.
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      if (Array.isArray(error.body)) return error.body.map((e) => e.message);
      if (error.body && error.body.enhancedErrorType === 'RecordError' && error.body.output) {
        const firstError = error.body.output.errors?.[0];
        if (firstError) return firstError.message;
      }
      if (error.body && typeof error.body.message === 'string') return error.body.message;
      if (typeof error.message === 'string') return error.message;
      return error.statusText;
    })
    .reduce((prev, curr) => prev.concat(curr), [])
    .filter((message) => !!message);
}

/**
 * What ClosewiseController says (its NO_ACCESS constant, word for word) when the running user cannot read
 * the record: it made no callout, and every other action on this record would be refused the same way.
 */
export const NO_ACCESS_MESSAGE = 'You do not have access to this record, so Closewise sent nothing. Ask your Salesforce admin for access.';

/** True when an Apex error is the controller's record-access refusal. */
export function isAccessDenied(error) {
  return reduceErrors(error).includes(NO_ACCESS_MESSAGE);
}
