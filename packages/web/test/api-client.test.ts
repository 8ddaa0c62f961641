import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ApiError, setCsrfToken } from '../src/api.js';

/** The UI's API client against a plain HTTP server that records what it was sent. */
let server: Server;
let base = '';
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/problem') {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: '/problems/mandate.too-long', title: 'Bad request', status: 400, detail: 'Too long.', code: 'mandate.too-long', params: { maxYears: 25 }, field: 'validUntil' }));
      } else if (req.url === '/gone') {
        res.writeHead(204).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, method: req.method }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  setCsrfToken(undefined);
  await new Promise((resolve) => server.close(resolve));
});

const last = () => seen[seen.length - 1]!;

describe('the generated API client', () => {
  it('sends X-CSRF-Token with state-changing requests once the token is known, never with reads', async () => {
    setCsrfToken(undefined);
    await api('POST', `${base}/a`, {});
    expect(last().headers['x-csrf-token']).toBeUndefined();

    setCsrfToken('token-123');
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      expect(await api<{ method: string }>(method, `${base}/a`, method === 'DELETE' ? undefined : { x: 1 })).toEqual({ ok: true, method });
      expect(last().headers['x-csrf-token'], method).toBe('token-123');
    }
    await api('GET', `${base}/a`);
    expect(last().headers['x-csrf-token']).toBeUndefined();
  });

  it('sends the body as JSON and answers nothing for a 204', async () => {
    await api('PUT', `${base}/a`, { name: { fi: 'a', sv: 'b', en: 'c' } });
    expect(last().headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(last().body)).toEqual({ name: { fi: 'a', sv: 'b', en: 'c' } });
    expect(await api('DELETE', `${base}/gone`)).toBeUndefined();
  });

  it('turns a problem answer into an ApiError carrying code, params and field', async () => {
    const e = await api('POST', `${base}/problem`, {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    const p = (e as ApiError).problem;
    expect((e as ApiError).status).toBe(400);
    expect(p).toMatchObject({ detail: 'Too long.', code: 'mandate.too-long', params: { maxYears: 25 }, field: 'validUntil' });
  });

  it('reports an unreachable server as a network error (status 0)', async () => {
    const e = await api('GET', 'http://127.0.0.1:1/nowhere').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(0);
  });
});
