import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/closewise.js', import.meta.url));

function closewise(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('closewise CLI', () => {
  it('prints usage and exits 2 for an unknown command', () => {
    const run = closewise(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown command 'frobnicate'");
    expect(run.stderr).toContain('Usage: closewise <command>');
  });

  it('prints usage and exits 2 for an unknown flag', () => {
    const run = closewise(['demo', '--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--frobnicate'/);
    expect(run.stderr).toContain('Usage: closewise demo');
  });

  it('has --help on every command and exits 0', () => {
    for (const args of [
      ['--help'],
      ['demo', '--help'],
      ['serve', '--help'],
      ['migrate', '--help'],
      ['model', '--help'],
      ['salesforce', 'issue-key', '--help'],
    ]) {
      const run = closewise(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^Usage: closewise/);
    }
  });

  it('fails fast with one line naming the host when DATABASE_URL cannot be reached', () => {
    const started = Date.now();
    const run = closewise(['migrate'], { DATABASE_URL: 'postgres://closewise@127.0.0.1:1/none' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('rejects a malformed Salesforce org id with exit 2 naming the flag', () => {
    const run = closewise(['salesforce', 'issue-key', '--org', 'not-an-org']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--org must be a Salesforce org id');
  });

  it('rejects an invalid environment value naming the variable', () => {
    const run = closewise(['migrate'], { PORT: 'eighty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT');
  });
});
