import { type Agent, request as httpRequest } from 'node:http';
import type { HostileRequest } from './hostile-requests.ts';

export interface RawAnswer {
  /** The HTTP status, or null when the connection ended without one. */
  status: number | null;
  ms: number;
  /** The first bytes of the body (error messages), or the socket error when there was no answer. */
  text: string;
}

/**
 * Sends a request exactly as given (path bytes untouched: fetch would normalise them) and waits for the
 * answer, at most `timeoutMs`. A server that answers early (413) and closes is an answer, not an error.
 */
export function sendRaw(agent: Agent, origin: string, request: HostileRequest, timeoutMs: number): Promise<RawAnswer> {
  const url = new URL(origin);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<RawAnswer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, ms: performance.now() - started });
    };
    const body = request.body ?? Buffer.alloc(0);
    const headers: Record<string, string> = { ...request.headers };
    if (!request.chunked && body.length > 0) headers['content-length'] = String(body.length);
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, method: request.method, path: request.path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < 2000) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => finish({ status: res.statusCode ?? null, text: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
        res.on('error', () => finish({ status: res.statusCode ?? null, text: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
      },
    );
    req.on('timeout', () => {
      finish({ status: null, text: `no answer within ${timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, text: `${error.code ?? ''} ${error.message}` }));
    if (request.chunked) {
      // Several chunks: a limit must count bytes as they stream in.
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}
