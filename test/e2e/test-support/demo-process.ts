import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What `npm run demo -- --serve` prints once it is serving (see server/src/demo/serve-demo.ts). */
export interface DemoEndpoints {
  previewUrl: string;
  sandboxUrl: string;
  sandboxPortalId: string;
  sandboxToken: string;
}

const PATTERNS = {
  previewUrl: /(https?:\/\/\S+\/preview\/deals\/\d+)/,
  sandbox: /Sandbox HubSpot portal (\d+): (https?:\/\/\S+)/,
  sandboxToken: /Sandbox token: (\S+)/,
  ready: /Press Ctrl-C to stop/,
};

export function parseDemoOutput(stdout: string): DemoEndpoints | { missing: string[] } {
  const preview = PATTERNS.previewUrl.exec(stdout);
  const sandbox = PATTERNS.sandbox.exec(stdout);
  const token = PATTERNS.sandboxToken.exec(stdout);
  if (preview?.[1] && sandbox?.[1] && sandbox[2] && token?.[1]) {
    return { previewUrl: preview[1], sandboxPortalId: sandbox[1], sandboxUrl: sandbox[2], sandboxToken: token[1] };
  }
  const missing = [
    ...(preview ? [] : ['a preview link (…/preview/deals/<id>)']),
    ...(sandbox ? [] : ['"Sandbox HubSpot portal <id>: <url>"']),
    ...(token ? [] : ['"Sandbox token: <token>"']),
  ];
  return { missing };
}

/**
 * Starts `npm run demo -- --serve` in its own process group with a throw-away data folder, and waits
 * until it says it is serving. stop() ends that group (only the processes this started).
 */
export async function startDemo(timeoutMs: number): Promise<{ endpoints: DemoEndpoints; stdout: () => string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-e2e-'));
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'demo', '--', '--serve', '--data-dir', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (PATTERNS.ready.test(stdout)) {
      const parsed = parseDemoOutput(stdout);
      if ('missing' in parsed) {
        await stop();
        throw new Error(`demo --serve is serving but did not print ${parsed.missing.join(', ')}.\nIts output:\n${stdout}`);
      }
      return { endpoints: parsed, stdout: () => stdout, stop };
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`demo exited with code ${child.exitCode} before serving.\nstdout:\n${stdout}\nstderr (end):\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`demo did not start serving within ${timeoutMs} ms.\nstdout:\n${stdout}`);
}
