import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// The CLI as the server package ships it (resolved by name: test/ reaches server files only through its exports).
const bin = createRequire(import.meta.url).resolve('@closewise/server/bin/closewise.js');

export interface ServeProcess {
  child: ChildProcess;
  /** Where this process listens, e.g. http://127.0.0.1:53121. */
  url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a real `closewise serve --port 0` and resolves once it prints where it listens. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`closewise serve did not start in 60 s: ${output}`)), 60_000);
    const onData = () => {
      const found = /backend on (http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(found);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`closewise serve exited with ${code} before listening: ${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
