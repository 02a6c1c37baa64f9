import { percentLabel, reduceErrors, STATES, scoreState, splitReasons } from 'c/closewiseUtils';

describe('c/closewiseUtils', () => {
  it('derives each card state', () => {
    const record = { fields: {} };
    expect(scoreState({ error: { message: 'x' }, record })).toBe(STATES.ERROR);
    expect(scoreState({})).toBe(STATES.LOADING);
    expect(scoreState({ record, scoredAt: null })).toBe(STATES.NO_SCORE);
    expect(scoreState({ record, scoredAt: '2026-11-02T00:00:00Z', modelActivatedAt: '2026-11-01T00:00:00Z' })).toBe(STATES.CURRENT);
    expect(scoreState({ record, scoredAt: '2026-10-31T00:00:00Z', modelActivatedAt: '2026-11-01T00:00:00Z' })).toBe(STATES.PRIOR_MODEL);
    expect(scoreState({ record, scoredAt: '2026-10-31T00:00:00Z' })).toBe(STATES.CURRENT);
  });

  it('splits reasons by line and drops blanks', () => {
    expect(splitReasons('a\n\n b \n').map((r) => r.text)).toEqual(['a', 'b']);
    expect(splitReasons(null)).toEqual([]);
  });

  it('formats percents', () => {
    expect(percentLabel(42.6)).toBe('43%');
    expect(percentLabel(null)).toBe('—');
  });

  it('reduces UI API record errors', () => {
    expect(reduceErrors({ body: { enhancedErrorType: 'RecordError', output: { errors: [{ message: 'Bad field' }] } } })).toEqual([
      'Bad field',
    ]);
    expect(reduceErrors([{ statusText: 'Server error' }])).toEqual(['Server error']);
  });
});
