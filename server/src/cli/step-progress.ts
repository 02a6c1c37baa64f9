import { createProgress, type Progress } from './progress.ts';

/** Turns a stream of (step, done, total) reports into one progress display per step. */
export function stepProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }): {
  report: (step: string, done: number, total: number) => void;
  end: () => void;
} {
  let current: { step: string; progress: Progress; total: number } | undefined;
  const end = () => {
    current?.progress.finish();
    current = undefined;
  };
  return {
    report(step, done, total) {
      if (current?.step !== step) {
        end();
        current = { step, total, progress: createProgress({ label: step, total: Math.max(total, 1), stream }) };
      }
      current.progress.update(done);
    },
    end,
  };
}
