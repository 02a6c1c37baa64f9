import type { IncomingMessage, ServerResponse } from 'node:http';
import { SalesforceApiError } from './errors.ts';

/** Small helpers for the sandbox's node:http handlers. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export async function readBody(req: IncomingMessage, limitBytes = 50 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new SalesforceApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON.');
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let body = '';
  if (reply.json !== undefined) {
    headers['Content-Type'] = 'application/json;charset=UTF-8';
    body = JSON.stringify(reply.json);
  } else if (reply.text !== undefined) {
    body = reply.text;
  }
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : body);
}

export function errorReply(error: SalesforceApiError): Reply {
  return { status: error.status, json: error.body() };
}
