import { Writable } from 'node:stream';
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
});
