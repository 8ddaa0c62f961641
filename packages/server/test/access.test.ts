import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/app.js';
import { ACCESS, ACTIONS } from '@puolesta/domain';
import { client, P, O, person, org, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
// With the built UI when there is one (npm test builds it first), so its files' routes are walked too.
beforeAll(async () => { t = await startTestApp({ serveWeb: existsSync(WEB_DIST) }); });
afterAll(async () => { await t?.stop(); });

const as = (who: { person: string } | { staff: string }) => t.session(who);

describe('every route answers to the access module', () => {
  it('each registered route declares an action that the module knows', () => {
    expect(t.routes.length).toBeGreaterThan(30);
    const undeclared = t.routes.filter((r) => !r.access || !(ACTIONS as string[]).includes(r.access)).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });
  it('every action has a described rule with at least one kind of actor', () => {
    for (const a of ACTIONS) {
      expect(ACCESS[a].actors.length, a).toBeGreaterThan(0);
      expect(ACCESS[a].describe.length, a).toBeGreaterThan(10);
    }
  });
  it('a staff-only route refuses a citizen with a stable code, before validation', async () => {
    const r = await (await as({ person: P.aino })).post('/api/v1/staff/paper-mandates', { nonsense: true });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'access.staff-only', type: '/problems/access.staff-only' });
  });
  it('an admin route refuses a caseworker, naming the role', async () => {
    const r = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/catalogue/issues/boating', headers: await t.as({ staff: 'caseworker-753' }), payload: { name: { fi: 'a', sv: 'b', en: 'c' } } });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'access.role-required', params: { roles: ['umbrella-admin'] } });
  });
});

describe('what the session may do', () => {
  it('a citizen may grant and request; a child in custody and a company carry what the person may do for them', async () => {
    const me = (await (await as({ person: P.markku })).get('/api/v1/me')).json();
    expect(me.permittedActions).toEqual(expect.arrayContaining(['mandate.grant', 'mandate.request', 'mandate.list-own']));
    expect(me.permittedActions).not.toContain('staff.check');
    expect(me.children.find((c: { id: string }) => c.id === P.onni).permittedActions).toEqual(expect.arrayContaining(['grant']));
  });
  it('a minor may not grant: the session does not offer it', async () => {
    const me = (await (await as({ person: P.onni })).get('/api/v1/me')).json();
    expect(me.permittedActions).not.toContain('mandate.grant');
    expect(me.permittedActions).toContain('mandate.list-own');
  });
  it('staff get what their roles allow', async () => {
    const cw = (await (await as({ staff: 'caseworker-753' })).get('/api/v1/me')).json();
    expect(cw.permittedActions).toEqual(expect.arrayContaining(['staff.check', 'paper-mandate.register']));
    expect(cw.permittedActions).not.toContain('municipal-service.edit');
    const admin = (await (await as({ staff: 'admin-753' })).get('/api/v1/me')).json();
    expect(admin.permittedActions).toContain('municipal-service.edit');
    expect(admin.permittedActions).not.toContain('catalogue-class.edit');
    expect(admin.permittedActions).not.toContain('staff.check');
  });
});

describe('holes closed by the rules', () => {
  it('a minor logged in cannot grant a mandate in their own matters', async () => {
    const onni = await as({ person: P.onni });
    const r = await onni.post('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-01-31' });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'party.minor-cannot-grant' });
  });

  it("a guardian's grant in a child's matters ends by the 18th birthday at the latest", async () => {
    const markku = await as({ person: P.markku });
    const r = await markku.post('/api/v1/mandates', { onBehalfOf: person(P.onni), agent: person(P.veikko), issues: ['housing'], validUntil: '2027-12-31' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'mandate.beyond-majority', params: { lastDay: '2027-02-02' }, field: 'validUntil' });
    const ok = await markku.post('/api/v1/mandates', { onBehalfOf: person(P.onni), agent: person(P.veikko), issues: ['housing'], validUntil: '2027-02-02' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().status).toBe('active');
  });

  it('a request to a minor cannot outlive their minority either, and nothing is backdated', async () => {
    const veikko = await as({ person: P.veikko });
    const r = await veikko.post('/api/v1/mandate-requests', { principal: person(P.onni), issues: ['housing'], validUntil: '2028-01-01' });
    expect(r.json()).toMatchObject({ code: 'mandate.beyond-majority' });
    const back = await (await as({ person: P.aino })).post('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validFrom: '2026-11-01', validUntil: '2027-01-31' });
    expect(back.statusCode).toBe(400);
    expect(back.json()).toMatchObject({ code: 'mandate.backdated', field: 'validFrom' });
  });

  it('a caseworker registers a paper power of attorney only in their own municipality, limited to it', async () => {
    const cw = await as({ staff: 'caseworker-245' });
    const base = { principal: person(P.aino), agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30', document: { reference: 'PAPER-1', signedOn: '2026-11-20' } };
    const other = await cw.post('/api/v1/staff/paper-mandates', { ...base, municipality: '753' });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'paper.other-municipality' });
    const ok = await cw.post('/api/v1/staff/paper-mandates', base);
    expect(ok.statusCode).toBe(201);
    const row = await t.ctx.db.selectFrom('mandates').select(['municipality', 'paper_document']).where('id', '=', ok.json().id).executeTakeFirstOrThrow();
    expect(row.municipality).toBe('245');
    expect(row.paper_document).toMatchObject({ signedBy: [person(P.aino)] });
  });

  it("a paper power of attorney for a child needs every guardian's signature, for an organisation its signing rule", async () => {
    const cw = await as({ staff: 'caseworker-753' });
    const child = { principal: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education'], validUntil: '2027-06-30', document: { reference: 'P-2', signedOn: '2026-11-20' } };
    const none = await cw.post('/api/v1/staff/paper-mandates', child);
    expect(none.json()).toMatchObject({ code: 'paper.signers-missing', params: { required: 'guardians' }, field: 'document.signedBy' });
    const one = await cw.post('/api/v1/staff/paper-mandates', { ...child, document: { ...child.document, signedBy: [person(P.sanna)] } });
    expect(one.json()).toMatchObject({ code: 'paper.signers-missing' });
    const stranger = await cw.post('/api/v1/staff/paper-mandates', { ...child, document: { ...child.document, signedBy: [person(P.sanna), person(P.stranger)] } });
    expect(stranger.json()).toMatchObject({ code: 'paper.signer-unknown', field: 'document.signedBy.1' });
    const both = await cw.post('/api/v1/staff/paper-mandates', { ...child, document: { ...child.document, signedBy: [person(P.sanna), person(P.jari)] } });
    expect(both.statusCode).toBe(201);
    const orgPaper = { principal: org(O.kylayhdistys), agent: person(P.veikko), issues: ['grants-and-subsidies'], validUntil: '2027-06-30', document: { reference: 'P-3', signedOn: '2026-11-20', signedBy: [] } };
    expect((await cw.post('/api/v1/staff/paper-mandates', orgPaper)).json()).toMatchObject({ code: 'paper.signers-missing', params: { required: 'signatories' } });
  });
});

describe('every change is one unit of work', () => {
  it('a grant writes its typed domain event and its audit entry at the injected time', async () => {
    const r = await (await as({ person: P.aino })).post('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-03-31' });
    const id = r.json().id as string;
    const events = await t.ctx.db.selectFrom('domain_events').selectAll().where('mandate_id', '=', id).execute();
    expect(events.map((e) => e.type)).toEqual(['mandate.granted']);
    expect(events[0]!.payload).toMatchObject({ type: 'mandate.granted', principal: person(P.aino), agent: person(P.kari), terms: { issues: ['housing'], validUntil: '2027-03-31' } });
    const audit = await t.ctx.db.selectFrom('audit_log').select(['event', 'at']).where('mandate_id', '=', id).execute();
    expect(audit.map((a) => a.event)).toEqual(['granted']);
    expect(new Date(audit[0]!.at).toISOString()).toBe(t.clock.now.toISOString());
  });
});

describe('text the database cannot store is refused where it enters', () => {
  it('a NUL or half a surrogate pair in a path, a body or the session cookie answers 4xx problem+json naming the field, never 500', async () => {
    const h = await t.as({ person: P.aino });
    const inPath = await t.app.inject({ method: 'GET', url: '/api/v1/mandates/%00', headers: h });
    expect(inPath.statusCode).toBe(400);
    expect(inPath.json()).toMatchObject({ code: 'input.unstorable-text', field: 'id' });
    const inBody = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: { ...h, 'content-type': 'application/json' }, payload: '{"agent":{"type":"person","id":"140362-901H"},"issues":["housing"],"validUntil":"2027-01-31","bundle":"\\ud800"}' });
    expect(inBody.statusCode).toBe(400);
    expect(inBody.json()).toMatchObject({ code: 'input.unstorable-text', field: 'bundle' });
    const use = await t.app.inject({ method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753'), 'content-type': 'application/json' }, payload: '{"errandRef":"E\\u0000","actor":{"type":"person","id":"210170-904K"}}' });
    expect(use.statusCode).toBe(400);
    expect(use.json()).toMatchObject({ code: 'input.unstorable-text', field: 'errandRef' });
    const cookie = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'puolesta_session=%00' } });
    expect(cookie.statusCode).toBe(401);
    expect(cookie.headers['content-type']).toContain('application/problem+json');
  });
  it('a route that does not exist does not echo its path (a careless client may put an identity code there)', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/persons/${P.kari}` });
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain(P.kari);
  });
});
