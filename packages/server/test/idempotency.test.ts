/**
 * Idempotency-Key on the commands that create or decide (a grant, a mandate request, its answer): a client that
 * did not get the answer (a timeout, a 503, a double click) sends the same request again with the same key and
 * gets the first answer; nothing is done twice, and a key reused for another request is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P, person, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const post = async (who: string, url: string, payload: object, key?: string) =>
  t.app.inject({ method: 'POST', url, headers: { ...(await t.as({ person: who })), ...(key ? { 'idempotency-key': key } : {}) }, payload });
const mandatesBetween = async (agent: string, principal: string) =>
  Number((await t.ctx.db.selectFrom('mandates').select((eb) => eb.fn.countAll().as('n')).where('agent_id', '=', agent).where('principal_id', '=', principal).executeTakeFirstOrThrow()).n);
const auditEntries = async (mandateId: string) =>
  Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('mandate_id', '=', mandateId).executeTakeFirstOrThrow()).n);
const messagesAbout = async (mandateId: string) =>
  Number((await t.ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('mandate_id', '=', mandateId).executeTakeFirstOrThrow()).n);

describe('Idempotency-Key', () => {
  it('a grant sent twice with the same key is made once: the retry gets the same answer, one log entry, one set of messages', async () => {
    const key = randomUUID();
    const body = { agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30' };
    const first = await post(P.markku, '/api/v1/mandates', body, key);
    expect(first.statusCode, first.body).toBe(201);
    const entries = await auditEntries(first.json().id);
    const messages = await messagesAbout(first.json().id);
    const again = await post(P.markku, '/api/v1/mandates', body, key);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await mandatesBetween(P.kari, P.markku)).toBe(1);
    expect(await auditEntries(first.json().id)).toBe(entries);
    expect(await messagesAbout(first.json().id)).toBe(messages);
    // Without a key, a second grant is a second mandate (the key is what makes a retry safe).
    expect((await post(P.markku, '/api/v1/mandates', body)).statusCode).toBe(201);
    expect(await mandatesBetween(P.kari, P.markku)).toBe(2);
  });

  it('the same key with another request is refused with a stable code, and changes nothing', async () => {
    const key = randomUUID();
    const first = await post(P.sanna, '/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30' }, key);
    expect(first.statusCode, first.body).toBe(201);
    const other = await post(P.sanna, '/api/v1/mandates', { agent: person(P.kari), issues: ['parking-and-streets'], validUntil: '2027-06-30' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'request.idempotency-key-reused' });
    expect(await mandatesBetween(P.kari, P.sanna)).toBe(1);
  });

  it('a key is the caller\'s own: another person using the same key gets their own grant', async () => {
    const key = randomUUID();
    const a = await post(P.petra, '/api/v1/mandates', { agent: person(P.mikael), issues: ['housing'], validUntil: '2027-06-30' }, key);
    const b = await post(P.mikael, '/api/v1/mandates', { agent: person(P.petra), issues: ['housing'], validUntil: '2027-06-30' }, key);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().id).not.toBe(a.json().id);
  });

  it('two requests with the same key at the same moment: one mandate request, both told the same', async () => {
    const key = randomUUID();
    const body = { principal: person(P.harri), issues: ['housing'], validUntil: '2027-06-30' };
    const [x, y] = await Promise.all([post(P.matti, '/api/v1/mandate-requests', body, key), post(P.matti, '/api/v1/mandate-requests', body, key)]);
    expect([x.statusCode, y.statusCode], `${x.body} ${y.body}`).toEqual([201, 201]);
    expect(y.json()).toEqual(x.json());
    expect(await mandatesBetween(P.matti, P.harri)).toBe(1);
  });

  it('an answer to a request sent twice: the retry gets the first answer instead of "already decided"', async () => {
    const asked = await post(P.kari, '/api/v1/mandate-requests', { principal: person(P.veikko), issues: ['housing'], validUntil: '2027-06-30' });
    expect(asked.statusCode, asked.body).toBe(201);
    const id = asked.json().id as string;
    const key = randomUUID();
    const first = await post(P.veikko, `/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' }, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ id, status: 'active' });
    const entries = await auditEntries(id);
    const again = await post(P.veikko, `/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await auditEntries(id)).toBe(entries);
    // Without the key the same answer is a conflict: it was decided already.
    expect((await post(P.veikko, `/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(409);
    // The key with another answer is refused, and the mandate stays in force.
    const other = await post(P.veikko, `/api/v1/mandate-requests/${id}/decision`, { decision: 'reject' }, key);
    expect(other.json()).toMatchObject({ code: 'request.idempotency-key-reused' });
    expect((await t.ctx.db.selectFrom('mandates').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('a key that is not a short token is refused naming the header', async () => {
    const r = await post(P.aino, '/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30' }, 'x'.repeat(201));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'input.schema' });
    expect(await mandatesBetween(P.kari, P.aino)).toBe(0);
  });
});
