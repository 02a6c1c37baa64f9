import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = createRequire(import.meta.url).resolve('@closewise/server/bin/closewise.js');

/**
 * issue #19: "`closewise demo` progress prints each step once, in a pipe and on a TTY (test on the piped output)".
 * It printed "training done: done 4/4", and every step twice ("…: 0/1 (0%)" then "…: done 1/1").
 */
describe('closewise demo progress, piped', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-demo-progress-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends every step with exactly one line and never says done twice', () => {
    const cli = spawnSync(process.execPath, [BIN, 'demo', '--seed', '5', '--data-dir', dataDir], {
      encoding: 'utf8',
      timeout: 280_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(cli.status, cli.stderr).toBe(0);
    const lines = cli.stderr.split('\n').filter((line) => line.length > 0);
    expect(cli.stderr).not.toMatch(/done: done/);
    // No terminal redraws in a pipe.
    expect(cli.stderr.includes('\r') || cli.stderr.includes('\u001b[')).toBe(false);

    const finished = lines.filter((line) => / done( |$)/.test(line)).map((line) => line.slice(0, line.indexOf(': done')));
    expect(finished).toEqual([...new Set(finished)]);
    expect(finished).toEqual([
      'starting sandbox portal',
      'installing Closewise',
      'syncing records',
      'loading tenant data',
      'training deal_win_at_creation (1 of 4)',
      'training deal_win_after_proposal (2 of 4)',
      'training contact_close_90d (3 of 4)',
      'training contact_fit (4 of 4)',
      'loading models',
      'scoring deals',
      'scoring contacts',
      'scoring companies',
      'writing scores back',
    ]);
    // Between the step lines only a long step's periodic count, never a step's 0 % start or its 100 % end again.
    for (const line of lines.filter((l) => !/: done( |$)/.test(l)))
      expect(line).toMatch(/^(syncing records|writing scores back): \d+\/\d+ \(\d{1,2}%\)$/);
    expect(cli.stdout).toContain('Top 10 open deals by win probability');
  }, 300_000);
});
