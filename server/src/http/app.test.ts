import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';
import { silentLogger } from '../logging/logger.ts';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { buildApp } from './app.ts';
import { MAX_BODY_BYTES } from './body-limit.ts';
import type { ErrorBody } from './error-handler.ts';
import { listen, type RunningServer } from './listen.ts';

describe('HTTP app', () => {
  let store: TestStore;
  let server: RunningServer;
  let reachedEcho = 0;

  beforeAll(async () => {
    store = await openTestPglite();
    const echo = express.Router();
    echo.use((_req, _res, next) => {
      reachedEcho += 1;
      next();
    });
    echo.use(express.json());
    echo.post('/', (req, res) => {
      const body = z.object({ n: z.number().int() }).parse(req.body);
      res.json({ doubled: body.n * 2 });
    });
    echo.get('/typed-error', () => {
      throw new BadInputError('n must be positive');
    });
    echo.get('/param/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    echo.get('/crash', () => {
      throw new Error('unexpected');
    });
    server = await listen(buildApp({ db: store.db, logger: silentLogger, routers: [{ path: '/echo', router: echo }] }), '127.0.0.1', 0);
  });
  afterAll(async () => {
    await server.close();
    await store.dispose();
  });

  it('answers /healthz after checking the store', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers malformed JSON with 400 and a JSON error, never 500', async () => {
    const res = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('BAD_INPUT');
  });

  it('answers a schema violation with 400 naming the field', async () => {
    const res = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":"x"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/^n:/);
  });

  it('maps typed errors by code, unknown routes to 404, and hides internals of unexpected errors', async () => {
    expect((await fetch(`${server.url}/echo/typed-error`)).status).toBe(400);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
    const crash = await fetch(`${server.url}/echo/crash`);
    expect(crash.status).toBe(500);
    expect(JSON.stringify(await crash.json())).not.toContain('unexpected');
  });

  it('answers a declared oversize body 413 before any router runs, and closes the connection', async () => {
    const before = reachedEcho;
    const res = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"n":1,"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ error: { code: 'BAD_INPUT', message: 'request body is too large' } });
    expect(reachedEcho).toBe(before);
  });

  it('answers a malformed percent-escape in the path 400, and an unknown route 404 JSON', async () => {
    const res = await fetch(`${server.url}/echo/param/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/malformed percent-escape/);
    const missing = await fetch(`${server.url}/no/such/%E0%A4%A`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
  });

  it('uses the parsed value', async () => {
    const res = await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":21}' });
    expect(await res.json()).toEqual({ doubled: 42 });
  });
});
