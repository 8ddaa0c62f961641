import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';
import fc from 'fast-check';
import { assertStorable, assertStorableJson } from '../src/http/text-input.js';

/** Issue 11, "Why": each input finding as a test — hostile text, impossible dates, blank references, router errors. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ listen: true }); });
afterAll(async () => { await t?.stop(); });

type R = Awaited<ReturnType<TestApp['app']['inject']>>;
function problem(r: R, status: number, code: string, field?: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = r.json();
  expect(p).toMatchObject({ status, code, type: `/problems/${code}` });
  if (field !== undefined) expect(p.field).toBe(field);
  return p;
}
const vendor = (url: string, payload: unknown, municipality = '753', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: client(municipality), 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
const mandateCount = async () => Number((await t.ctx.db.selectFrom('mandates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('text PostgreSQL cannot store is a 400 naming the field', () => {
  it('a NUL character in a body field', async () => {
    const r = await vendor('/api/v1/authorizations/check', { actor: person(P.markku), principal: person(P.veikko), issue: 'hous\u0000ing' });
    problem(r, 400, 'input.unstorable-text', 'issue');
  });
  it('a lone surrogate in a body field (as JSON escapes it)', async () => {
    const r = await vendor('/api/v1/mandates/veikko-markku/uses', '{"errandRef":"RL-\\ud800","actor":{"type":"person","id":"210170-904K"}}');
    problem(r, 400, 'input.unstorable-text', 'errandRef');
    const uses = await t.ctx.db.selectFrom('mandate_uses').selectAll().where('mandate_id', '=', 'veikko-markku').execute();
    expect(uses).toHaveLength(0);
  });
  it('a NUL in a plain-text body (the parsers check every body they make)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753'), 'content-type': 'text/plain' }, payload: 'hous\u0000ing' });
    problem(r, 400, 'input.unstorable-text', 'body');
    const json = await vendor('/api/v1/authorizations/check', '"hous\\u0000ing"');
    problem(json, 400, 'input.unstorable-text', 'body');
  });
  it('a POST with no body and no Content-Type reads as an empty object (the schema answers)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753') } });
    problem(r, 400, 'input.required', 'actor');
  });
  it('a NUL in a citizen grant changes nothing', async () => {
    const headers = await t.as({ person: P.aino });
    const before = await mandateCount();
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: person(P.kari), issues: ['housing\u0000'], validUntil: '2027-12-31' } });
    problem(r, 400, 'input.unstorable-text', 'issues.0');
    expect(await mandateCount()).toBe(before);
  });
  it('%00 and an encoded lone surrogate in a path parameter', async () => {
    const cookie = (await t.as({ person: P.aino })).cookie;
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/mandates/%00', headers: { cookie } }), 400, 'input.unstorable-text', 'id');
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/mandates/x%00y/log', headers: { cookie } }), 400, 'input.unstorable-text', 'id');
    // %ED%A0%80 is the UTF-8-like encoding of U+D800: not a valid URL component at all.
    const s = await t.app.inject({ method: 'GET', url: '/api/v1/mandates/%ED%A0%80', headers: { cookie } });
    expect(s.statusCode).toBe(400);
    expect(s.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
  it('%00 in a query string', async () => {
    const headers = await t.as({ staff: 'caseworker-753' });
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/staff/errands?status=%00', headers }), 400, 'input.unstorable-text', 'status');
  });
  it('a NUL in a header we read (the idempotency key, the API client id)', async () => {
    const headers = await t.as({ person: P.sanna });
    const e = await t.app.inject({ method: 'POST', url: '/api/v1/errands', headers, payload: { municipality: '753', service: 'ece-application', subject: person(P.ella) } });
    expect(e.statusCode).toBe(201);
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/errands/${e.json().id}/submit`, headers: { ...headers, 'idempotency-key': 'k\u0000' }, payload: {} });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const basicNul = `Basic ${Buffer.from('demo-753\u0000:demo-secret-753').toString('base64')}`;
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: basicNul }, payload: { actor: person(P.markku), principal: person(P.veikko), issue: 'housing' } });
    expect(b.statusCode, b.body).toBeGreaterThanOrEqual(400);
    expect(b.statusCode).toBeLessThan(500);
    expect(b.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('dates are calendar dates within a sane range', () => {
  it('2027-02-30 is refused, not rolled over to 2 March', async () => {
    const headers = await t.as({ person: P.aino });
    const before = await mandateCount();
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2027-02-30' } });
    problem(r, 400, 'input.date', 'validUntil');
    expect(await mandateCount()).toBe(before);
  });
  it('a date far in the future is refused, and one in range is compared as a date', async () => {
    const headers = await t.as({ person: P.aino });
    problem(await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '9999-12-31' } }), 400, 'input.date', 'validUntil');
    problem(await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '0999-12-31' } }), 400, 'input.date', 'validUntil');
    // A check "at" an impossible or far-off instant is refused, not rolled over or compared as text.
    for (const at of ['2027-02-30T10:00:00Z', '2027-02-28T24:00:00Z', '9999-12-31T00:00:00Z', '+275760-09-13T00:00:00Z']) {
      problem(await vendor('/api/v1/authorizations/check', { actor: person(P.markku), principal: person(P.veikko), issue: 'housing', at }), 400, 'input.date-time', 'at');
    }
    const ok = await vendor('/api/v1/authorizations/check', { actor: person(P.markku), principal: person(P.veikko), issue: 'housing', at: '2027-02-28T10:00:00Z' });
    expect(ok.statusCode, ok.body).toBe(200);
  });
  it('a paper mandate signed on an impossible day is refused', async () => {
    const headers = await t.as({ staff: 'caseworker-245' });
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/staff/paper-mandates', headers, payload: {
      principal: person(P.aino), agent: person(P.stranger), issues: ['housing'], validUntil: '2027-12-31', document: { reference: 'K/1', signedOn: '2026-02-29' },
    } });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().code).toMatch(/^input\.date/);
  });
});

describe('a blank errandRef', () => {
  it('is refused naming errandRef and leaves a one-off mandate unused', async () => {
    for (const errandRef of ['', '   ', '\t\n']) {
      const r = await vendor('/api/v1/mandates/ritva-laura-oneoff/uses', { errandRef, actor: person(P.laura) }, '049');
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().field).toBe('errandRef');
    }
    const uses = await t.ctx.db.selectFrom('mandate_uses').selectAll().where('mandate_id', '=', 'ritva-laura-oneoff').execute();
    expect(uses).toHaveLength(0);
    // Unused: the first real use is still the one that consumes it.
    const real = await vendor('/api/v1/mandates/ritva-laura-oneoff/uses', { errandRef: 'PURKU-1', actor: person(P.laura) }, '049');
    expect(real.statusCode, real.body).toBe(201);
    expect(real.json().consumed).toBe(true);
  });
});

describe('a blank paper reference', () => {
  it('is refused naming document.reference and registers nothing', async () => {
    const headers = await t.as({ staff: 'caseworker-245' });
    const before = await mandateCount();
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/staff/paper-mandates', headers, payload: {
      principal: person(P.aino), agent: person(P.stranger), issues: ['housing'], validUntil: '2027-12-31', document: { reference: '   ', signedOn: '2026-11-30' },
    } });
    problem(r, 400, 'paper.reference-blank', 'document.reference');
    expect(await mandateCount()).toBe(before);
  });
});

describe('router-level errors are problem+json', () => {
  it('too long a path parameter', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/mandates/${'a'.repeat(500)}` });
    problem(r, 414, 'input.path-too-long', 'path');
  });
  it('a malformed URL', async () => {
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/mandates/%zz' }), 400, 'input.bad-url', 'path');
  });
  it('oversized headers (from Node\'s HTTP parser, before Fastify)', async () => {
    const r = await fetch(`${t.url}/health`, { headers: { 'x-filler': 'a'.repeat(20_000) } });
    expect(r.status).toBe(431);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(await r.json()).toMatchObject({ status: 431, code: 'input.headers-too-large' });
  });
  it('a body too large', async () => {
    const r = await vendor('/api/v1/authorizations/check', { actor: person(P.markku), principal: person(P.veikko), issue: 'x'.repeat(300 * 1024) });
    problem(r, 413, 'input.too-large');
  });
  it('an unsupported media type', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753'), 'content-type': 'text/xml' }, payload: '<x/>' });
    problem(r, 415, 'input.unsupported-media-type');
  });
  it('bad JSON', async () => {
    problem(await vendor('/api/v1/authorizations/check', '{"actor":'), 400, 'input.not-json', 'body');
  });
});

describe('the JSON body check skips its walk only where nothing can be unstorable', () => {
  // Any JSON value, with strings drawn from the whole UTF-16 range (NULs and lone surrogates included):
  // the parser's shortcut (look at the text first) refuses exactly what the walk over the value refuses.
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('\u0000', '\uD800', '\uDC00', '\uD83D\uDE00', '\\', 'u'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))) });
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v')), fc.dictionary(text, tie('v'))),
  })).v;
  const refused = (f: () => void) => { try { f(); return false; } catch { return true; } };
  it('refuses exactly what a walk over the parsed value refuses', () => {
    fc.assert(fc.property(value, (v) => {
      const json = JSON.stringify(v);
      const parsed: unknown = JSON.parse(json);
      expect(refused(() => assertStorableJson(json, parsed))).toBe(refused(() => assertStorable(parsed, '')));
    }), { numRuns: 2000 });
  });
});
