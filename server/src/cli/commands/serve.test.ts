import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('closewise serve startup', () => {
  it.each([
    { name: 'in production', env: { NODE_ENV: 'production' }, args: [] },
    { name: 'bound to every interface', env: {}, args: ['--host', '0.0.0.0'] },
  ])('exits 1 with one line naming PUBLIC_BASE_URL when it is missing $name', async ({ env, args }) => {
    const stdout = capture();
    const stderr = capture();
    const code = await main(['serve', '--port', '0', ...args], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { CLOSEWISE_DATA_DIR: 'memory://', ...env },
    });
    expect(code).toBe(1);
    expect(stdout.text()).toBe('');
    expect(stderr.text().trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.text()).toMatch(/^closewise: PUBLIC_BASE_URL is required because .*set it to the public origin/);
  });

  it('exits with one line naming the port when it is in use, instead of a TypeError or a hang', { timeout: 60_000 }, async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const busy = (holder.address() as { port: number }).port;
    try {
      const stdout = capture();
      const stderr = capture();
      const code = await main(['serve', '--port', String(busy)], {
        stdout: stdout.stream,
        stderr: stderr.stream,
        env: { CLOSEWISE_DATA_DIR: 'memory://' },
      });
      expect(code).not.toBe(0);
      expect(stderr.text().trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.text()).toContain(`cannot listen on 127.0.0.1:${busy}: the port is in use by another process`);
    } finally {
      holder.close();
    }
  });

  it('exits (as a process) with the setting named when a schedule is not a cron expression', { timeout: 60_000 }, async () => {
    // A separate process: what hung was the process itself, kept alive by the store it had opened.
    const bin = fileURLToPath(new URL('../../../bin/closewise.js', import.meta.url));
    const run = await new Promise<{ code: number | null; killed: boolean; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [bin, 'serve', '--port', '0'],
        { timeout: 30_000, env: { PATH: process.env.PATH, CLOSEWISE_DATA_DIR: 'memory://', CLOSEWISE_SCHEDULE_SYNC: 'every so often' } },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, killed: child.killed, stderr }),
      );
    });
    expect(run.killed).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('CLOSEWISE_SCHEDULE_SYNC');
  });
});
