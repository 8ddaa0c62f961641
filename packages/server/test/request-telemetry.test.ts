/** Request ids, sampled request logs and the request, check and index metrics (issue 12, items 1 and 5; decision 0018). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { lazyChildLogger, requestIdOf } from '../src/http/telemetry.js';
import { client, P, startTestApp, type TestApp } from './helpers.js';
import type { IncomingMessage } from 'node:http';

const lines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  // As deployed: info level, the default share of successful checks logged is small; here none.
  t = await startTestApp({ config: { logSampleRate: 0, notify: { ...(await import('../src/config.js')).configFromEnv({}).notify, metricsToken: 'scrape-me' } }, logger: createLogger('info', { write: (s: string) => { lines.push(s); } }) });
});
afterAll(async () => {
  await t?.stop();
});

type Entry = { msg?: string; reqId?: string; apiClient?: string; res?: { statusCode: number }; req?: { url: string } };
async function logged<T>(work: () => Promise<T>): Promise<{ result: T; text: string; entries: Entry[] }> {
  const from = lines.length;
  const result = await work();
  const mine = lines.slice(from);
  return { result, text: mine.join('\n'), entries: mine.map((l) => JSON.parse(l) as Entry) };
}

const CHECK = '/api/v1/authorizations/check';
const check = (body: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: CHECK, headers: { authorization: client('245'), ...headers }, payload: body });
const allowedBody = { actor: { type: 'person', id: P.markku }, principal: { type: 'person', id: P.veikko }, issue: 'housing' };

describe('the request id', () => {
  it('is on every log line of a request and echoed in X-Request-Id', async () => {
    const { result: r, entries } = await logged(() => t.app.inject({ method: 'GET', url: '/api/v1/catalogue/issues' }));
    const id = r.headers['x-request-id'];
    expect(typeof id).toBe('string');
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const e of entries) expect(e.reqId).toBe(id);
  });

  it('takes the caller\'s X-Request-Id when it is a short safe token, and makes its own otherwise', async () => {
    const mine = await logged(() => check(allowedBody, { 'x-request-id': 'espoo-ece.4f2a:17' }));
    expect(mine.result.headers['x-request-id']).toBe('espoo-ece.4f2a:17');
    const refused = await logged(() => check({ ...allowedBody, issue: 'no-such-issue' }, { 'x-request-id': 'espoo-ece.4f2b' }));
    expect(refused.entries.some((e) => e.reqId === 'espoo-ece.4f2b' && e.msg === 'request completed' && (e.res?.statusCode ?? 0) >= 400)).toBe(true);
    for (const bad of ['has space', 'x'.repeat(65), `id-${P.kari}`, 'semi;colon', '']) {
      const r = await check(allowedBody, { 'x-request-id': bad });
      expect(r.headers['x-request-id']).not.toBe(bad);
      expect(String(r.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Each request its own.
    const a = await check(allowedBody);
    const b = await check(allowedBody);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('never takes an identity code', () => {
    const req = (v: string) => ({ headers: { 'x-request-id': v } }) as unknown as IncomingMessage;
    expect(requestIdOf(req(P.kari))).not.toBe(P.kari);
    expect(requestIdOf(req('010199-123N'))).not.toContain('010199');
    expect(requestIdOf(req('abc-123'))).toBe('abc-123');
  });
});

describe('the check\'s log lines, sampled', () => {
  it('log no line for a successful check (it is counted), one line for a refusal, naming the client and never an identity code', async () => {
    const ok = await logged(() => check(allowedBody));
    expect(ok.result.statusCode).toBe(200);
    expect(ok.result.json<{ allowed: boolean }>().allowed).toBe(true);
    expect(ok.entries.filter((e) => e.req?.url === CHECK || e.msg === 'request completed')).toEqual([]);

    const unknown = await logged(() => check({ ...allowedBody, issue: 'no-such-issue' }));
    expect(unknown.result.statusCode).toBeGreaterThanOrEqual(400);
    const line = unknown.entries.find((e) => e.msg === 'request completed');
    expect(line).toMatchObject({ apiClient: 'demo-245', res: { statusCode: unknown.result.statusCode }, req: { url: CHECK } });
    expect(line?.reqId).toBe(unknown.result.headers['x-request-id']);
    expect(unknown.text).not.toContain(P.markku);
    expect(unknown.text).not.toContain(P.veikko);

    const unauthenticated = await logged(() => t.app.inject({ method: 'POST', url: CHECK, payload: allowedBody }));
    expect(unauthenticated.result.statusCode).toBe(401);
    expect(unauthenticated.entries.some((e) => e.msg === 'request completed' && e.res?.statusCode === 401)).toBe(true);
  });

  it('log every call at debug level, and every route without sampling as before', async () => {
    const debugLines: string[] = [];
    const d = await startTestApp({ config: { logSampleRate: 0 }, logger: createLogger('debug', { write: (s: string) => { debugLines.push(s); } }) });
    try {
      expect((await d.app.inject({ method: 'POST', url: CHECK, headers: { authorization: client('245') }, payload: allowedBody })).statusCode).toBe(200);
      const entries = debugLines.map((l) => JSON.parse(l) as Entry);
      expect(entries.some((e) => e.msg === 'request completed' && e.req?.url === CHECK && e.res?.statusCode === 200)).toBe(true);
    } finally {
      await d.stop();
    }
    const other = await logged(() => t.app.inject({ method: 'GET', url: '/health' }));
    expect(other.entries.map((e) => e.msg)).toEqual(['incoming request', 'request completed']);
  });
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status class, checks by result and reason, and shows the index lag and the outbox', async () => {
    await check(allowedBody);
    await check({ actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.veikko }, issue: 'housing' });
    const m = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-me' } });
    expect(m.statusCode).toBe(200);
    const text = m.body;
    expect(text).toMatch(/puolesta_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/authorizations\/check",status_class="2xx"\} [1-9]/);
    expect(text).toMatch(/puolesta_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/v1\/authorizations\/check",status_class="2xx"\}/);
    expect(text).toMatch(/puolesta_checks_total\{asker="api-client",client="demo-245",result="allowed",reason=""\} [1-9]/);
    expect(text).toMatch(/puolesta_checks_total\{asker="api-client",client="demo-245",result="refused",reason="[a-z-]+"\} [1-9]/);
    expect(text).toMatch(/puolesta_authz_index_version_lag 0/);
    expect(text).toMatch(/puolesta_notifications_oldest_undelivered_seconds \d/);
    expect(text).toContain('puolesta_notifications_queued');
    // Route patterns, never a raw URL (which may carry an identity code).
    await t.app.inject({ method: 'GET', url: `/api/v1/persons/${P.aino}/mandates` });
    const again = (await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-me' } })).body;
    expect(again).not.toContain(P.aino);
    expect(again).toMatch(/route="unmatched",status_class="4xx"/);
  });
});

describe('GET /metrics, check by check', () => {
  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-me' } })).body;
  const count = (text: string, labels: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`puolesta_checks_total{${labels}} `));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  it('attributes every check to its API client, and a caseworker\'s to staff with an empty client', async () => {
    const own = 'asker="api-client",client="demo-753",result="allowed",reason=""';
    const other = 'asker="api-client",client="demo-049",result="allowed",reason=""';
    const refusedOther = 'asker="api-client",client="demo-049",result="refused",reason="no-basis"';
    const staff = 'asker="staff",client="",result="allowed",reason=""';
    const before = await scrape();
    const as = (m: string) => t.app.inject({ method: 'POST', url: CHECK, headers: { authorization: client(m) }, payload: allowedBody });
    for (let i = 0; i < 3; i++) expect((await as('753')).json()).toMatchObject({ allowed: true });
    expect((await as('049')).json()).toMatchObject({ allowed: true });
    const refused = await t.app.inject({ method: 'POST', url: CHECK, headers: { authorization: client('049') }, payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.veikko }, issue: 'housing' } });
    expect(refused.json()).toMatchObject({ allowed: false, reasonCode: 'no-basis' });
    const headers = await t.as({ staff: 'caseworker-245' });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/staff/checks', headers, payload: allowedBody })).json()).toMatchObject({ allowed: true });
    const after = await scrape();
    expect(count(after, own) - count(before, own)).toBe(3);
    expect(count(after, other) - count(before, other)).toBe(1);
    expect(count(after, refusedOther) - count(before, refusedOther)).toBe(1);
    expect(count(after, staff) - count(before, staff)).toBe(1);
    // No caseworker's key and no identity code in a label.
    expect(after).not.toContain('caseworker-245');
    expect(after).not.toContain(P.markku);
  });
});

describe('the lazy child logger', () => {
  it('makes no pino child at all: its lines carry every binding, whatever the arguments', () => {
    const out: string[] = [];
    const root = createLogger('info', { write: (s: string) => { out.push(s); } });
    let made = 0;
    const counting = new Proxy(root, { get: (o, k) => (k === 'child' ? (...a: Parameters<typeof root.child>) => { made++; return o.child(...a); } : Reflect.get(o, k)) });
    const c = lazyChildLogger(counting as never, { reqId: 'r1' }).child({ apiClient: 'c1' });
    c.debug('not written');
    expect(made).toBe(0);
    expect(c.level).toBe('info');
    c.info({ extra: 1 }, 'written');
    c.warn('only a message');
    c.error(new Error('it broke'));
    c.error(new Error('with its own message'), 'failed');
    expect(made).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ reqId: 'r1', apiClient: 'c1', extra: 1, msg: 'written' });
    expect(lines[1]).toMatchObject({ reqId: 'r1', apiClient: 'c1', msg: 'only a message', level: 40 });
    expect(lines[2]).toMatchObject({ reqId: 'r1', apiClient: 'c1', msg: 'it broke', err: { message: 'it broke', type: 'Error' } });
    expect(lines[3]).toMatchObject({ reqId: 'r1', apiClient: 'c1', msg: 'failed', err: { message: 'with its own message' } });
  });

  it('a child made for a level of its own still writes with the bindings above it', () => {
    const out: string[] = [];
    const root = createLogger('info', { write: (s: string) => { out.push(s); } });
    const c = lazyChildLogger(root as never, { reqId: 'r2' }).child({ apiClient: 'c2' }, { level: 'debug' });
    c.debug('now written');
    expect(JSON.parse(out[0]!)).toMatchObject({ reqId: 'r2', apiClient: 'c2', msg: 'now written' });
  });
});
