import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P, startTestApp, type TestApp } from './helpers.js';

/** Whatever a caller sends to the errand endpoints, the answer is an answer: 2xx, or a 4xx problem naming what was wrong — never a 5xx. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '\u0000', '\ud800', '753', 'ece-application', P.ella, '753-401-3-45', '../../etc', '%00'));
const json = fc.jsonValue({ maxDepth: 3 });
/** Percent-encodes; a lone surrogate (which has no UTF-8) goes as the bytes of one, which is hostile input too. */
const enc = (s: string) => { try { return encodeURIComponent(s); } catch { return '%ED%A0%80'; } };

describe('errand endpoints under random input', () => {
  it('creating, saving, sending and answering never answer 5xx, and refusals are problem+json', async () => {
    const headers = await t.as({ person: P.sanna });
    const good = await t.app.inject({ method: 'POST', url: '/api/v1/errands', headers, payload: { municipality: '753', service: 'ece-application', subject: { type: 'person', id: P.ella } } });
    const id = good.json().id as string;
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('create', 'save', 'submit', 'respond', 'get', 'queue'),
      fc.record({ municipality: text, service: text, subject: fc.oneof(json, fc.record({ type: text, id: text })), data: json, parties: fc.oneof(json, fc.array(fc.record({ type: text, id: text, contact: json }), { maxLength: 3 })) }, { requiredKeys: [] }),
      fc.oneof(fc.constant(id), text),
      async (op, body, target) => {
        // Malformed URLs are the router's (issue 11); here the path parameter is any well-formed text.
        const path = enc(target || 'x').replace('%ED%A0%80', 'x');
        const r = op === 'create' ? await t.app.inject({ method: 'POST', url: '/api/v1/errands', headers, payload: body })
          : op === 'save' ? await t.app.inject({ method: 'PUT', url: `/api/v1/errands/${path}`, headers, payload: body })
          : op === 'submit' ? await t.app.inject({ method: 'POST', url: `/api/v1/errands/${path}/submit`, headers: { ...headers, 'idempotency-key': String(body.service ?? 'k').replace(/[^\x21-\x7e]/g, '') || 'k' }, payload: body.data && typeof body.data === 'object' ? body.data : {} })
          : op === 'respond' ? await t.app.inject({ method: 'POST', url: `/api/v1/errands/${path}/responses`, headers, payload: { response: body.service, reason: body.municipality, hash: body.service } })
          : op === 'get' ? await t.app.inject({ method: 'GET', url: `/api/v1/errands/${path}`, headers })
          : await t.app.inject({ method: 'GET', url: `/api/v1/staff/errands?status=${enc(String(body.service ?? ''))}&cursor=${enc(String(body.municipality ?? ''))}`, headers: await t.as({ staff: 'caseworker-753' }) });
        expect(r.statusCode, `${op} ${r.body}`).toBeLessThan(500);
        if (r.statusCode >= 400) {
          expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(r.json().code).toEqual(expect.any(String));
        }
      },
    ), { numRuns: 150 });
  }, 180_000);
});
