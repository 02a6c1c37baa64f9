/**
 * A clock that runs at the wall clock's pace and can be moved forward at once: the sandbox (its daily quota),
 * the connector (the reset it computes), the sync handler (the pause it compares with) and the job engine read
 * it, so "the next day" comes without waiting for it.
 */
export interface MovableClock {
  now(): number;
  /** Jumps to `at` (never backwards: rolling windows only ever see time move on). */
  moveTo(at: number): void;
}

export function movableClock(start: number = Date.now()): MovableClock {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    moveTo(at) {
      offset = Math.max(offset, at - Date.now());
    },
  };
}
