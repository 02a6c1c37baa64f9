/**
 * Progress of one step: `done` of `total` units of `step` are complete. A step's last report has done = total,
 * so whoever displays it can say "done" once, per step, without guessing what the numbers count.
 */
export type ProgressFn = (step: string, done: number, total: number) => void;

/**
 * Work made of named phases run one after another (load, train each target, …): each phase is its own step of one
 * unit, reported at 0/1 when it starts and 1/1 when the next one starts or `end()` is called.
 */
export function phaseProgress(progress: ProgressFn): { start(phase: string): void; end(): void } {
  let current: string | undefined;
  const end = () => {
    if (current !== undefined) progress(current, 1, 1);
    current = undefined;
  };
  return {
    start(phase) {
      end();
      current = phase;
      progress(phase, 0, 1);
    },
    end,
  };
}
