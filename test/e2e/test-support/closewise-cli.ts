import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// The CLI as the server package ships it (resolved by name: test/ reaches server files only through its exports).
const bin = createRequire(import.meta.url).resolve('@closewise/server/bin/closewise.js');

/** Runs one `closewise <args>` command to its end in its own process, as an operator types it. */
export function runClosewise(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
