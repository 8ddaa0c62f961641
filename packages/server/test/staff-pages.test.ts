/**
 * The caseworker's per-person view and revoking a paper-registered mandate (issue 10, item 6):
 * the look-up is logged with the caseworker and the reason; only a paper mandate, only by a
 * caseworker of the registering municipality; another municipality learns nothing of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { REDACT_PATHS } from '../src/logger.js';
import { P, person, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
const lines: string[] = [];
const urls: string[] = [];
beforeAll(async () => {
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, { write: (s: string) => { lines.push(s); } });
  t = await startTestApp({ logger });
});
afterAll(async () => { await t?.stop(); });

async function as(who: { person: string } | { staff: string }) {
  const headers = await t.as(who);
  const call = (method: 'GET' | 'POST', url: string, payload?: object) => { urls.push(url); return t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) }); };
  return { get: (url: string) => call('GET', url), post: (url: string, payload: object = {}) => call('POST', url, payload) };
}

/** A paper power of attorney registered by a caseworker of `municipality`: principal → agent, in housing. */
async function paperMandate(municipality: '245' | '753', principal: string, agent: string, reference = `PAPER-${Math.random().toString(36).slice(2, 8)}`) {
  const cw = await as({ staff: `caseworker-${municipality}` });
  const r = await cw.post('/api/v1/staff/paper-mandates', { principal: person(principal), agent: person(agent), issues: ['housing'], validUntil: '2027-06-30', document: { reference, signedOn: '2026-11-20' } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

const lookup = (cw: Awaited<ReturnType<typeof as>>, id: string, reason = 'Customer at the service desk asks which mandates are in force') =>
  cw.post('/api/v1/staff/people/mandates', { party: person(id), reason });
const revoke = (cw: Awaited<ReturnType<typeof as>>, id: string, body: object = { writtenRequest: { receivedOn: '2026-11-30', reference: 'REQ-7' } }) =>
  cw.post(`/api/v1/staff/mandates/${id}/revoke`, body);

describe('the per-person view', () => {
  it('lists what the person has given and received, and logs the look-up with the caseworker and the reason', async () => {
    const id = await paperMandate('245', P.ritva, P.tuomas);
    const cw = await as({ staff: 'caseworker-245' });
    const r = await lookup(cw, P.ritva, 'Ritva asks at the desk to end the paper mandate');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.party).toMatchObject({ type: 'person', id: P.ritva });
    expect(body.party.name).not.toBe('');
    const m = body.given.find((x: { id: string }) => x.id === id);
    expect(m).toMatchObject({ source: 'paper', status: 'active', permittedActions: ['revoke-paper'], agent: { id: P.tuomas } });
    expect(m.agent.name).not.toBe('');
    // The agent's view shows it as received.
    expect((await lookup(cw, P.tuomas)).json().received.map((x: { id: string }) => x.id)).toContain(id);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'staff.person-mandates-viewed').orderBy('seq', 'desc').execute();
    const entry = audit.find((a) => (a.data as { reason?: string }).reason === 'Ritva asks at the desk to end the paper mandate');
    expect(entry).toBeDefined();
    expect(entry!.actor).toMatchObject({ kind: 'staff', key: 'caseworker-245', municipality: '245' });
    expect(entry!.data).toMatchObject({ party: person(P.ritva) });
    expect(entry!.municipality).toBe('245');
  });

  it('needs a reason, and a citizen may not look anyone up', async () => {
    const cw = await as({ staff: 'caseworker-245' });
    const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('event', '=', 'staff.person-mandates-viewed').executeTakeFirstOrThrow();
    const blank = await lookup(cw, P.ritva, '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'staff.lookup-reason-blank', field: 'reason' });
    const none = await cw.post('/api/v1/staff/people/mandates', { party: person(P.ritva) });
    expect(none.statusCode).toBe(400);
    const after = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('event', '=', 'staff.person-mandates-viewed').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const citizen = await lookup(await as({ person: P.aino }), P.ritva);
    expect(citizen.statusCode).toBe(403);
    expect(citizen.json()).toMatchObject({ code: 'access.staff-only' });
    const admin = await lookup(await as({ staff: 'admin-753' }), P.ritva);
    expect(admin.statusCode).toBe(403);
    expect(admin.json()).toMatchObject({ code: 'access.role-required' });
  });

  it("another municipality's caseworker does not see a paper mandate limited to the registering municipality", async () => {
    const id = await paperMandate('245', P.pentti, P.laura);
    const other = await lookup(await as({ staff: 'caseworker-753' }), P.pentti);
    expect(other.statusCode).toBe(200);
    expect(other.json().given.map((x: { id: string }) => x.id)).not.toContain(id);
  });
});

describe("revoking a paper mandate on the principal's written request", () => {
  it('the registering municipality revokes it in one unit of work: status, audit with the written request, event, messages to both sides', async () => {
    const id = await paperMandate('245', P.pentti, P.tuomas);
    const cw = await as({ staff: 'caseworker-245' });
    const r = await revoke(cw, id);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ id, status: 'revoked' });
    const row = await t.ctx.db.selectFrom('mandates').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('revoked');
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('mandate_id', '=', id).where('event', '=', 'revoked').executeTakeFirstOrThrow();
    expect(audit.actor).toMatchObject({ kind: 'staff', key: 'caseworker-245' });
    expect(audit.data).toMatchObject({ writtenRequest: { receivedOn: '2026-11-30', reference: 'REQ-7' } });
    const events = await t.ctx.db.selectFrom('domain_events').select('type').where('mandate_id', '=', id).execute();
    expect(events.map((e) => e.type)).toContain('mandate.revoked');
    const told = await t.ctx.db.selectFrom('notifications').select(['recipient_id', 'event']).where('mandate_id', '=', id).where('event', '=', 'mandate.revoked').execute();
    expect(told.map((n) => n.recipient_id).sort()).toEqual([P.pentti, P.tuomas].sort());
    // The mandate no longer gives a basis, and the view offers no second revoke.
    const check = await cw.post('/api/v1/staff/checks', { actor: person(P.tuomas), principal: person(P.pentti), issue: 'housing' });
    expect(check.json()).toMatchObject({ allowed: false });
    expect((await lookup(cw, P.pentti)).json().given.find((x: { id: string }) => x.id === id)).toMatchObject({ status: 'revoked', permittedActions: [] });
    const again = await revoke(cw, id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'mandate.wrong-status' });
  });

  it('an electronic mandate is refused with a stable code, and nothing changes', async () => {
    const aino = await as({ person: P.aino });
    const g = await aino.post('/api/v1/mandates', { agent: person(P.laura), issues: ['housing'], validUntil: '2027-03-31' });
    expect(g.statusCode, g.body).toBe(201);
    const id = g.json().id as string;
    const cw = await as({ staff: 'caseworker-245' });
    expect((await lookup(cw, P.aino)).json().given.find((x: { id: string }) => x.id === id)).toMatchObject({ source: 'electronic', permittedActions: [] });
    const r = await revoke(cw, id);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'paper.not-paper-mandate' });
    expect((await t.ctx.db.selectFrom('mandates').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it("another municipality's caseworker gets the same 404 as for a mandate that does not exist", async () => {
    const id = await paperMandate('245', P.ritva, P.laura);
    const other = await revoke(await as({ staff: 'caseworker-753' }), id);
    const missing = await revoke(await as({ staff: 'caseworker-753' }), '00000000-0000-4000-8000-000000000000');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.json().code).toBe('mandate.not-found');
    expect(other.json().code).toBe(missing.json().code);
    expect(other.json().detail).toBe(missing.json().detail);
    expect((await t.ctx.db.selectFrom('mandates').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('active');
    const citizen = await revoke(await as({ person: P.ritva }), id);
    expect(citizen.statusCode).toBe(403);
  });

  it('the written request must be dated, not in the future', async () => {
    const id = await paperMandate('753', P.veikko, P.laura);
    const cw = await as({ staff: 'caseworker-753' });
    const future = await revoke(cw, id, { writtenRequest: { receivedOn: '2026-12-02' } });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'paper.request-in-future', field: 'writtenRequest.receivedOn' });
    expect((await revoke(cw, id, {})).statusCode).toBe(400);
    const ok = await revoke(cw, id, { writtenRequest: { receivedOn: '2026-12-01' } });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('identity codes stay out of addresses and the log', () => {
  it('no identity code in any URL called nor in any log line', () => {
    expect(urls.length).toBeGreaterThan(10);
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    for (const code of [P.ritva, P.tuomas, P.pentti, P.laura, P.aino, P.veikko]) {
      expect(urls.filter((u) => u.includes(code))).toEqual([]);
      expect(all).not.toContain(code);
    }
  });
});
