import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionPolicy } from '@puolesta/domain';
import { auditEntriesFor, verifyAuditLog } from '../src/repositories/audit.repository.js';
import { FORMS } from '../src/forms/forms.js';
import { runRetentionJob } from '../src/services/retention.service.js';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

// Requests that never took effect are kept 30 days after they closed, mandates that ended 90 days, errands 60 days.
const policy = retentionPolicy(30, 90, 60);
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const as = (who: string) => t.session({ person: who });
const at = (iso: string) => { t.clock.now = new Date(iso); };
const run = (force = true) => runRetentionJob(t.ctx, 'test-node', policy, { force, batch: 2 });
const mandateRow = (id: string) => t.ctx.db.selectFrom('mandates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Everything stored about one mandate outside the register (the row, its uses, messages, events and audit entries), as text. */
async function storedAbout(id: string): Promise<string> {
  const db = t.ctx.db;
  return JSON.stringify([
    await mandateRow(id),
    await db.selectFrom('mandate_uses').selectAll().where('mandate_id', '=', id).execute(),
    await db.selectFrom('notifications').selectAll().where('mandate_id', '=', id).execute(),
    await db.selectFrom('domain_events').selectAll().where('mandate_id', '=', id).execute(),
    await db.selectFrom('audit_log').selectAll().where('mandate_id', '=', id).execute(),
  ]);
}

/** Everything stored about one errand: the row, parties, answers, attachments, messages, events and audit entries, as text. */
async function storedAboutErrand(id: string): Promise<string> {
  const db = t.ctx.db;
  return JSON.stringify([
    await db.selectFrom('errands').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    await db.selectFrom('errand_parties').selectAll().where('errand_id', '=', id).execute(),
    await db.selectFrom('errand_answers').selectAll().where('errand_id', '=', id).execute(),
    await db.selectFrom('errand_attachments').select(['name', 'uploaded_by']).where('errand_id', '=', id).execute(),
    await db.selectFrom('notifications').selectAll().where('errand_id', '=', id).execute(),
    await db.selectFrom('domain_events').selectAll().where('errand_id', '=', id).execute(),
    (await db.selectFrom('audit_log').selectAll().where('mandate_id', 'is', null).execute()).filter((r) => r.data.errandId === id),
  ]);
}

describe('retention erases closed requests\' and ended mandates\' personal data when due, and the audit chain still verifies (decision 0017)', () => {
  const ids = { declined: '', pending: '', revoked: '', open: '', declinedLater: '' };
  const errands = { withdrawn: '', inProgress: '' };
  let errandEntries: number[] = [];

  it('builds: a declined request, a request left pending, a used and revoked mandate, a mandate in force', async () => {
    at('2026-12-01T10:00:00+02:00');
    const laura = await as(P.laura);
    const ritva = await as(P.ritva);
    ids.declined = (await laura.post('/api/v1/mandate-requests', { principal: person(P.ritva), issues: ['housing'], validUntil: '2027-12-31' })).json().id;
    expect((await ritva.post(`/api/v1/mandate-requests/${ids.declined}/decision`, { decision: 'reject' })).statusCode).toBe(200);
    ids.pending = (await (await as(P.tuomas)).post('/api/v1/mandate-requests', { principal: person(P.emily), issues: ['housing'], validUntil: '2027-01-31' })).json().id;
    const aino = await as(P.aino);
    ids.revoked = (await aino.post('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' })).json().id;
    const use = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${ids.revoked}/uses`, headers: { authorization: client('245') }, payload: { errandRef: 'ASUNTO-2026-99', actor: person(P.kari) } });
    expect(use.statusCode).toBe(201);
    expect((await aino.post(`/api/v1/mandates/${ids.revoked}/revoke`)).statusCode).toBe(200);
    ids.open = (await aino.post('/api/v1/mandates', { agent: person(P.sanna), issues: ['housing'], validUntil: '2030-12-31' })).json().id;
    // Two building permits Elias applies for, Noora to sign: one he withdraws, one waits for her signature.
    const elias = await as(P.elias);
    for (const k of ['withdrawn', 'inProgress'] as const) {
      const data = structuredClone((FORMS['building-permit'] as unknown as { examples: unknown[] }).examples[0]);
      errands[k] = (await elias.post('/api/v1/errands', { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data })).json().id;
      expect((await elias.post(`/api/v1/errands/${errands[k]}/submit`)).statusCode).toBe(200);
    }
    expect((await elias.post(`/api/v1/errands/${errands.withdrawn}/withdraw`)).json()).toMatchObject({ status: 'withdrawn' });
    expect(await storedAboutErrand(errands.withdrawn)).toContain(P.noora);
    errandEntries = (await t.ctx.db.selectFrom('audit_log').select(['seq', 'data']).where('mandate_id', 'is', null).execute())
      .filter((r) => r.data.errandId === errands.withdrawn).map((r) => Number(r.seq));
    expect(errandEntries.length).toBeGreaterThan(1);
    expect(await storedAbout(ids.revoked)).toContain(P.kari);
  });

  it('on the day a request closed 30 days ago and a mandate ended 90 days ago are due, only those are erased', async () => {
    at('2027-03-01T10:00:00+02:00');
    const noora = await as(P.noora);
    ids.declinedLater = (await noora.post('/api/v1/mandate-requests', { principal: person(P.elias), issues: ['housing'], validUntil: '2027-12-31' })).json().id;
    expect((await (await as(P.elias)).post(`/api/v1/mandate-requests/${ids.declinedLater}/decision`, { decision: 'reject' })).statusCode).toBe(200);

    const r = await run(false);
    expect(r?.mandates).toBeGreaterThanOrEqual(2);
    for (const id of [ids.declined, ids.revoked]) {
      const row = await mandateRow(id);
      expect(row).toMatchObject({ principal_id: 'erased', agent_id: 'erased', created_by: { kind: 'erased' }, paper_document: null, erased_at: expect.any(Date) });
      // What stays is not personal: what it covered, when, how it ended.
      expect(row).toMatchObject({ issues: ['housing'], status: id === ids.declined ? 'rejected' : 'revoked' });
      const text = await storedAbout(id);
      for (const code of [P.laura, P.ritva, P.aino, P.kari]) expect(text).not.toContain(code);
      const entries = await auditEntriesFor(t.ctx.db, id);
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(e.entry).toMatchObject({ actor: { kind: 'erased' }, data: expect.any(Object) });
    }
    expect(await t.ctx.db.selectFrom('mandate_uses').selectAll().where('mandate_id', '=', ids.revoked).execute()).toEqual([]);
    // The principal no longer finds it: it names nobody.
    expect((await (await as(P.aino)).get(`/api/v1/mandates/${ids.revoked}`)).statusCode).toBe(404);

    // Not due yet: the pending request closed on 2027-02-01 (due 2027-03-03); the request declined today; open: never.
    expect(await mandateRow(ids.pending)).toMatchObject({ principal_id: P.emily, agent_id: P.tuomas, erased_at: null });
    expect(await mandateRow(ids.declinedLater)).toMatchObject({ principal_id: P.elias, agent_id: P.noora, erased_at: null });
    expect(await mandateRow(ids.open)).toMatchObject({ principal_id: P.aino, agent_id: P.sanna, erased_at: null });
    expect((await auditEntriesFor(t.ctx.db, ids.open))[0]!.entry.actor).toMatchObject({ kind: 'person', id: P.aino });
    expect((await (await as(P.aino)).get(`/api/v1/mandates/${ids.open}`)).statusCode).toBe(200);

    // The withdrawn errand (closed 90 days ago, kept 60) is erased; the one in progress is not.
    const gone = await t.ctx.db.selectFrom('errands').selectAll().where('id', '=', errands.withdrawn).executeTakeFirstOrThrow();
    expect(gone).toMatchObject({ applicant_id: null, principal: null, data: {}, document: null, decision: null, status: 'withdrawn', erased_at: expect.any(Date) });
    const errandText = await storedAboutErrand(errands.withdrawn);
    for (const code of [P.elias, P.noora]) expect(errandText).not.toContain(code);
    expect((await (await as(P.elias)).get(`/api/v1/errands/${errands.withdrawn}`)).statusCode).toBe(404);
    const kept = await t.ctx.db.selectFrom('errands').selectAll().where('id', '=', errands.inProgress).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ applicant_id: P.elias, erased_at: null });
    expect(await storedAboutErrand(errands.inProgress)).toContain(P.noora);
    expect((await (await as(P.elias)).get(`/api/v1/errands/${errands.inProgress}`)).statusCode).toBe(200);

    expect(await verifyAuditLog(t.ctx.db)).toMatchObject({ break: null });
    // The erasure is itself in the log: ids and counts, nothing personal.
    const recorded = await t.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'retention.erased').execute();
    expect(recorded.flatMap((e) => e.data.mandates as string[])).toEqual(expect.arrayContaining([ids.declined, ids.revoked]));
    expect(recorded.flatMap((e) => e.data.mandates as string[])).not.toContain(ids.pending);
    expect(recorded.flatMap((e) => e.data.errands as string[])).toEqual([errands.withdrawn]);
    // The errand's entries (they have no mandate) are erased too, and the retention entry names them.
    const erasedEntries = await t.ctx.db.selectFrom('audit_log').select(['seq', 'actor', 'data', 'personal_salt']).where('seq', 'in', errandEntries).execute();
    for (const e of erasedEntries) expect(e).toMatchObject({ actor: { kind: 'erased' }, data: {}, personal_salt: null });
    expect(recorded.flatMap((e) => e.data.auditEntries as number[])).toEqual(expect.arrayContaining(errandEntries));
    expect(recorded[0]!.actor).toEqual({ kind: 'system' });
    for (const code of Object.values(P)) expect(JSON.stringify(recorded)).not.toContain(code);
  });

  it('another node the same day runs nothing; a rerun erases nothing twice', async () => {
    expect(await run(false)).toBeNull();
    const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('event', '=', 'retention.erased').executeTakeFirstOrThrow();
    expect(await run(true)).toEqual({ mandates: 0, errands: 0, auditEntries: 0, batches: 0, idempotencyKeys: 0 });
    const after = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('event', '=', 'retention.erased').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('days later the request left pending is due too, and the chain still verifies', async () => {
    at('2027-03-03T10:00:00+02:00');
    const r = await run(false);
    expect(r?.mandates).toBeGreaterThanOrEqual(1);
    expect(await mandateRow(ids.pending)).toMatchObject({ principal_id: 'erased', agent_id: 'erased' });
    expect(await storedAbout(ids.pending)).not.toContain(P.emily);
    expect(await mandateRow(ids.declinedLater)).toMatchObject({ principal_id: P.elias, erased_at: null });
    expect(await verifyAuditLog(t.ctx.db)).toMatchObject({ break: null });
  });

  it('an erased entry cannot be made to say something again, and a personal part erased by hand is caught', async () => {
    const db = t.ctx.db;
    const erased = await db.selectFrom('audit_log').selectAll().where('mandate_id', '=', ids.declined).orderBy('seq').executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ actor: JSON.stringify({ kind: 'person', id: P.stranger }) }).where('seq', '=', erased.seq).execute();
    expect((await verifyAuditLog(db)).break).toEqual({ seq: Number(erased.seq), problem: 'changed' });
    await db.updateTable('audit_log').set({ actor: JSON.stringify(erased.actor) }).where('seq', '=', erased.seq).execute();
    expect((await verifyAuditLog(db)).break).toBeNull();

    const open = await db.selectFrom('audit_log').selectAll().where('mandate_id', '=', ids.open).orderBy('seq').executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ actor: JSON.stringify({ kind: 'erased' }), data: JSON.stringify({}), personal_salt: null }).where('seq', '=', open.seq).execute();
    expect((await verifyAuditLog(db)).break).toEqual({ seq: Number(open.seq), problem: 'erased-unrecorded' });
    await db.updateTable('audit_log').set({ actor: JSON.stringify(open.actor), data: JSON.stringify(open.data), personal_salt: open.personal_salt }).where('seq', '=', open.seq).execute();
    expect((await verifyAuditLog(db)).break).toBeNull();
  });
});

describe('answers to Idempotency-Keys are kept for retries, then forgotten', () => {
  let k: TestApp;
  beforeAll(async () => { k = await startTestApp({ now: new Date('2026-12-01T10:00:00+02:00') }); });
  afterAll(async () => { await k?.stop(); });
  const grant = async (key: string) => k.app.inject({
    method: 'POST', url: '/api/v1/mandates', headers: { ...(await k.as({ person: P.markku })), 'idempotency-key': key },
    payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' },
  });

  it('a retry within the kept days gets the first answer; after them the key is gone and the same request is a new one', async () => {
    const first = await grant('retry-me');
    expect(first.statusCode, first.body).toBe(201);
    k.clock.now = new Date('2026-12-30T10:00:00+02:00');
    expect((await runRetentionJob(k.ctx, 'test-node', policy, { force: true }))?.idempotencyKeys).toBe(0);
    expect((await grant('retry-me')).json().id).toBe(first.json().id);
    k.clock.now = new Date('2027-01-01T10:00:00+02:00');
    expect((await runRetentionJob(k.ctx, 'test-node', policy, { force: true }))?.idempotencyKeys).toBe(1);
    const later = await grant('retry-me');
    expect(later.statusCode).toBe(201);
    expect(later.json().id).not.toBe(first.json().id);
  });
});
