import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { phaseProgress } from '../scoring/phase-progress.ts';
import { stepProgress } from './step-progress.ts';

function captured(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

/** What the demo reports: one-unit steps, a counted step, then phases (as training and scoring report them). */
function reportDemoLikeSteps(report: (step: string, done: number, total: number) => void) {
  report('starting sandbox portal', 0, 1);
  report('syncing records', 100, 300);
  report('syncing records', 300, 300);
  report('syncing records', 300, 300);
  const phases = phaseProgress(report);
  phases.start('training a (1 of 2)');
  phases.start('training b (2 of 2)');
  phases.end();
}

describe('stepProgress', () => {
  it('ends each step with one line in a pipe', () => {
    const out = captured(false);
    const progress = stepProgress(out.stream);
    reportDemoLikeSteps(progress.report);
    progress.end();
    progress.end();
    expect(out.text()).toBe(
      ['starting sandbox portal: done', 'syncing records: done 300/300', 'training a (1 of 2): done', 'training b (2 of 2): done', ''].join(
        '\n',
      ),
    );
  });

  it('draws each step on one terminal line, ended once', () => {
    const out = captured(true);
    const progress = stepProgress(out.stream);
    reportDemoLikeSteps(progress.report);
    progress.end();
    // Each step's redraws happen on its own line (\r); the line ends once, when the step does.
    const lines = out.text().split('\n').filter(Boolean);
    const finalStates = lines.map((line) => line.split('\r').filter(Boolean).at(-1)?.replaceAll('\u001b[K', '').trim());
    expect(finalStates.map((state) => state?.split(/\s{2,}| █| ░/)[0])).toEqual([
      'starting sandbox portal',
      'syncing records',
      'training a (1 of 2)',
      'training b (2 of 2)',
    ]);
    expect(finalStates.every((state) => state?.includes('100%'))).toBe(true);
  });
});
