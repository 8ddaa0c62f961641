import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, O, P, person, org, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const as = (who: string) => t.session({ person: who });
const check = async (actor: string, principal: string | { type: 'organization'; id: string }, issue: string, municipality = '753') =>
  (await t.app.inject({
    method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client(municipality) },
    payload: { actor: person(actor), principal: typeof principal === 'string' ? person(principal) : principal, issue },
  })).json();
const use = (id: string, actor: string, errandRef: string, municipality = '753') =>
  t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client(municipality) }, payload: { errandRef, actor: person(actor) } });
const count = async () => Number((await t.ctx.db.selectFrom('mandates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('direct grant, use, log, revoke', () => {
  it('the principal grants, the e-service uses it, the principal reads who used it, revokes, and checks are refused', async () => {
    const aino = await as(P.aino);
    const g = await aino.post('/api/v1/mandates', { agent: person(P.kari), bundle: 'caring-for-a-relative', validUntil: '2027-12-31' });
    expect(g.statusCode).toBe(201);
    const { id, status } = g.json();
    expect(status).toBe('active');
    expect(await check(P.kari, P.aino, 'housing', '245')).toMatchObject({ allowed: true, basis: 'mandate', mandateId: id });

    const u = await use(id, P.kari, 'ASUNTO-2026-17', '245');
    expect(u.statusCode).toBe(201);

    const log = (await aino.get(`/api/v1/mandates/${id}/log`)).json();
    // Newest first.
    expect(log.entries.map((e: { event: string }) => e.event)).toEqual(['used', 'granted']);
    expect(log.entries[0]).toMatchObject({ errandRef: 'ASUNTO-2026-17', municipality: '245', apiClient: 'demo-245', actor: { type: 'person', name: 'Kari Mäkelä' } });

    const mine = (await aino.get('/api/v1/me/mandates')).json();
    expect(mine.given.find((m: { id: string }) => m.id === id)).toMatchObject({ status: 'active', agent: { name: 'Kari Mäkelä' }, permittedActions: expect.arrayContaining(['revoke', 'read-log']) });

    expect((await aino.post(`/api/v1/mandates/${id}/revoke`)).json()).toEqual({ id, status: 'revoked' });
    expect(await check(P.kari, P.aino, 'housing', '245')).toMatchObject({ allowed: false, reasonCode: 'revoked' });
    expect((await use(id, P.kari, 'ASUNTO-2026-18', '245')).statusCode).toBe(409);
    expect((await aino.post(`/api/v1/mandates/${id}/revoke`)).statusCode).toBe(409);
  });

  it('only the principal and the agent see a mandate and its log; anyone else gets 404', async () => {
    const stranger = await as(P.stranger);
    expect((await stranger.get('/api/v1/mandates/veikko-markku/log')).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/mandates/veikko-markku')).statusCode).toBe(404);
    expect((await stranger.post('/api/v1/mandates/veikko-markku/revoke')).statusCode).toBe(404);
    expect((await (await as(P.markku)).get('/api/v1/mandates/veikko-markku/log')).statusCode).toBe(200);
    expect((await (await as(P.veikko)).get('/api/v1/mandates/veikko-markku/log')).json().entries[0].event).toBe('granted');
  });

  it('the agent may renounce but not revoke; the principal may revoke but not renounce', async () => {
    const petra = await as(P.petra);
    const mikael = await as(P.mikael);
    expect((await mikael.post('/api/v1/mandates/petra-mikael/revoke')).statusCode).toBe(403);
    expect((await petra.post('/api/v1/mandates/petra-mikael/renounce')).statusCode).toBe(403);
    expect((await mikael.post('/api/v1/mandates/petra-mikael/renounce')).json().status).toBe('renounced');
    expect(await check(P.mikael, P.petra, 'parking-and-streets', '445')).toMatchObject({ allowed: false, reasonCode: 'renounced' });
    const mine = (await petra.get('/api/v1/me/mandates')).json();
    expect(mine.given.find((m: { id: string }) => m.id === 'petra-mikael').status).toBe('renounced');
  });

  it('bad grants change nothing and name the field', async () => {
    const aino = await as(P.aino);
    const before = await count();
    const cases: [object, string][] = [
      [{ agent: person(P.kari), issues: ['housing'], validUntil: '2020-01-01' }, 'validUntil'],
      [{ agent: person(P.kari), issues: ['housing'], validFrom: '2026-12-01', validUntil: '2052-01-01' }, 'validUntil'],
      [{ agent: person(P.kari), issues: ['housing', 'nope'], validUntil: '2027-01-01' }, 'issues/1'],
      [{ agent: person(P.kari), bundle: 'nope', validUntil: '2027-01-01' }, 'bundle'],
      [{ agent: person(P.kari), validUntil: '2027-01-01' }, 'issues'],
      [{ agent: person(P.aino), issues: ['housing'], validUntil: '2027-01-01' }, 'agent'],
      [{ agent: person(P.kari), issues: ['housing'], validUntil: '2027-02-30' }, 'validUntil'],
      [{ agent: person(P.kari), issues: ['housing'], validUntil: '2027-01-01', municipality: '999' }, 'municipality'],
      [{ agent: person(P.kari), issues: ['housing'] }, 'validUntil'],
    ];
    for (const [body, field] of cases) {
      const r = await aino.post('/api/v1/mandates', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().field, JSON.stringify(body)).toBe(field);
    }
    expect((await aino.post('/api/v1/mandates', { agent: person('010101-999X'), issues: ['housing'], validUntil: '2027-01-01' })).statusCode).toBe(404);
    expect((await aino.post('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-01-01', target: { type: 'property', id: '999-1-1-1' } })).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it('citizen endpoints need a login', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/me/mandates' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBeUndefined(); // no browser password dialog over the portal
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/mandates', payload: {} })).statusCode).toBe(401);
  });
});

describe('request and decision', () => {
  it('the agent requests, the principal grants narrower; widening is refused', async () => {
    const laura = await as(P.laura);
    const ritva = await as(P.ritva);
    const req = await laura.post('/api/v1/mandate-requests', { principal: person(P.ritva), issues: ['property-matters', 'waste-and-water'], validUntil: '2027-12-31' });
    expect(req.statusCode).toBe(201);
    const { id } = req.json();
    expect(req.json().status).toBe('requested');
    expect((await ritva.get('/api/v1/me/mandates')).json().requestsIn.map((m: { id: string }) => m.id)).toContain(id);
    expect((await laura.get('/api/v1/me/mandates')).json().requestsOut.map((m: { id: string }) => m.id)).toContain(id);
    expect(await check(P.laura, P.ritva, 'property-matters', '049')).toMatchObject({ allowed: false, reasonCode: 'requested' });

    expect((await laura.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(403);
    const wider = await ritva.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', issues: ['housing'] });
    expect(wider.statusCode).toBe(400);
    expect(wider.json().field).toBe('issues/0');
    const later = await ritva.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', validUntil: '2028-01-01' });
    expect(later.json().field).toBe('validUntil');

    const ok = await ritva.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', issues: ['property-matters'], validUntil: '2027-06-30' });
    expect(ok.json()).toEqual({ id, status: 'active' });
    expect(await check(P.laura, P.ritva, 'property-matters', '049')).toMatchObject({ allowed: true, validUntil: '2027-06-30' });
    expect(await check(P.laura, P.ritva, 'waste-and-water', '049')).toMatchObject({ allowed: false, reasonCode: 'wrong-issue' });
    expect((await ritva.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'reject' })).statusCode).toBe(409);
    const log = (await ritva.get(`/api/v1/mandates/${id}/log`)).json();
    expect(log.entries.map((e: { event: string }) => e.event)).toEqual(['granted', 'requested']);
  });

  it('the principal may reject', async () => {
    const req = await (await as(P.stranger)).post('/api/v1/mandate-requests', { principal: person(P.harri), issues: ['housing'], validUntil: '2027-01-31' });
    const harri = await as(P.harri);
    expect((await harri.post(`/api/v1/mandate-requests/${req.json().id}/decision`, { decision: 'reject' })).json().status).toBe('rejected');
    expect(await check(P.stranger, P.harri, 'housing', '111')).toMatchObject({ allowed: false, reasonCode: 'rejected' });
  });
});

describe('organisations and guardians', () => {
  it('a joint-signing association grants only when a second signatory approves', async () => {
    const markku = await as(P.markku);
    const sanna = await as(P.sanna);
    const g = await markku.post('/api/v1/mandates', { onBehalfOf: org(O.kylayhdistys), agent: person(P.elias), issues: ['financial-support'], validUntil: '2027-12-31' });
    expect(g.statusCode).toBe(201);
    expect(g.json().status).toBe('requested');
    const { id } = g.json();
    expect(await check(P.elias, org(O.kylayhdistys), 'financial-support')).toMatchObject({ allowed: false });
    expect((await markku.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(409);
    const orgView = (await sanna.get(`/api/v1/organizations/${O.kylayhdistys}/mandates`)).json();
    expect(orgView.requestsIn.map((m: { id: string }) => m.id)).toContain(id);
    expect((await sanna.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).json().status).toBe('active');
    expect(await check(P.elias, org(O.kylayhdistys), 'financial-support')).toMatchObject({ allowed: true, basis: 'mandate', mandateId: id });
  });

  it('a board member without signing rights cannot grant for the association', async () => {
    const r = await (await as(P.elias)).post('/api/v1/mandates', { onBehalfOf: org(O.kylayhdistys), agent: person(P.noora), issues: ['financial-support'], validUntil: '2027-12-31' });
    expect(r.statusCode).toBe(403);
  });

  it('a sole signatory grants for the company at once', async () => {
    const r = await (await as(P.kari)).post('/api/v1/mandates', { onBehalfOf: org(O.keravaLampo), agent: person(P.aino), issues: ['waste-and-water'], validUntil: '2027-12-31' });
    expect(r.json().status).toBe('active');
  });

  it("a grandparent for a child's daycare takes effect when both guardians confirm; either may revoke", async () => {
    const sanna = await as(P.sanna);
    const jari = await as(P.jari);
    const g = await sanna.post('/api/v1/mandates', { onBehalfOf: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education', 'culture-and-leisure'], validUntil: '2027-12-31' });
    expect(g.json().status).toBe('requested');
    const { id } = g.json();
    expect(await check(P.veikko, P.ella, 'culture-and-leisure')).toMatchObject({ allowed: false, reasonCode: 'requested' });
    expect((await jari.get('/api/v1/me/mandates')).json().requestsIn.map((m: { id: string }) => m.id)).toContain(id);
    expect((await (await as(P.stranger)).post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(404);
    expect((await jari.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).json().status).toBe('active');
    expect(await check(P.veikko, P.ella, 'culture-and-leisure')).toMatchObject({ allowed: true, basis: 'mandate' });
    expect((await jari.post(`/api/v1/mandates/${id}/revoke`)).json().status).toBe('revoked');
    expect(await check(P.veikko, P.ella, 'culture-and-leisure')).toMatchObject({ allowed: false, reasonCode: 'revoked' });
  });

  it('someone who is not a guardian cannot grant for a child', async () => {
    const r = await (await as(P.stranger)).post('/api/v1/mandates', { onBehalfOf: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education'], validUntil: '2027-12-31' });
    expect(r.statusCode).toBe(403);
  });
});

describe('one-off mandates', () => {
  it('is consumed exactly once under 50 concurrent uses', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => use('ritva-laura-oneoff', P.laura, `PURKU-${i}`, '049')));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(results.find((r) => r.statusCode === 201)!.json().consumed).toBe(true);
    expect(await check(P.laura, P.ritva, 'building-control', '049')).toMatchObject({ allowed: false });
    const uses = await t.ctx.db.selectFrom('mandate_uses').selectAll().where('mandate_id', '=', 'ritva-laura-oneoff').execute();
    expect(uses).toHaveLength(1);
    const ritva = await as(P.ritva);
    const mine = (await ritva.get('/api/v1/me/mandates')).json();
    expect(mine.given.find((m: { id: string }) => m.id === 'ritva-laura-oneoff').status).toBe('consumed');
  });

  it('a use by someone other than the agent, or an unknown mandate, is refused', async () => {
    expect((await use('veikko-markku', P.stranger, 'X-1')).statusCode).toBe(409);
    expect((await use('no-such-mandate', P.markku, 'X-1')).statusCode).toBe(404);
    expect((await use('emily-tuomas', P.tuomas, 'X-1', '049')).statusCode).toBe(409);
  });
});

describe('expiry by date', () => {
  it('a mandate is usable on its last day and expired the day after', async () => {
    t.clock.now = new Date('2027-06-30T23:30:00+03:00');
    try {
      expect((await use('petra-mikael', P.mikael, 'P-1', '445')).statusCode).toBe(409); // renounced above
      expect((await use('veikko-markku', P.markku, 'V-1')).statusCode).toBe(201);
      t.clock.now = new Date('2031-01-01T00:00:00+02:00');
      expect((await use('veikko-markku', P.markku, 'V-2')).statusCode).toBe(409);
      const mine = (await (await as(P.veikko)).get('/api/v1/me/mandates')).json();
      expect(mine.given.find((m: { id: string }) => m.id === 'veikko-markku').status).toBe('expired');
    } finally {
      t.clock.now = new Date('2026-12-01T10:00:00+02:00');
    }
  });
});

describe('caseworker at a service point', () => {
  it('checks by the same rules and registers a paper power of attorney', async () => {
    const headers = await t.as({ staff: 'caseworker-245' });
    const staffPost = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });
    const before = (await staffPost('/api/v1/staff/checks', { actor: person(P.stranger), principal: person(P.aino), issue: 'housing' })).json();
    expect(before).toMatchObject({ allowed: false, reasonCode: 'no-basis', principalName: 'Aino Mäkelä' });
    const paper = await staffPost('/api/v1/staff/paper-mandates', {
      principal: person(P.aino), agent: person(P.stranger), issues: ['housing'], validUntil: '2027-12-31',
      document: { reference: 'KERAVA/2026/123', signedOn: '2026-11-30' },
    });
    expect(paper.statusCode).toBe(201);
    expect((await staffPost('/api/v1/staff/checks', { actor: person(P.stranger), principal: person(P.aino), issue: 'housing' })).json()).toMatchObject({ allowed: true, basis: 'mandate' });
    const aino = await as(P.aino);
    const m = (await aino.get('/api/v1/me/mandates')).json().given.find((x: { id: string }) => x.id === paper.json().id);
    expect(m.source).toBe('paper');
    const log = (await aino.get(`/api/v1/mandates/${m.id}/log`)).json();
    expect(log.entries[0]).toMatchObject({ event: 'registered-from-paper', actor: { type: 'staff', name: 'Käsittelijä Kerava', municipality: '245' } });
  });
  it('a citizen cannot use the caseworker endpoints', async () => {
    const headers = await t.as({ person: P.stranger });
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/staff/checks', headers, payload: { actor: person(P.stranger), principal: person(P.aino), issue: 'housing' } });
    expect(r.statusCode).toBe(403);
  });
});

describe('acting for an organisation in decisions', () => {
  it('the second signatory approves naming the association, and a bare revoke needs no body', async () => {
    const markku = await as(P.markku);
    const sanna = await as(P.sanna);
    const { id } = (await markku.post('/api/v1/mandates', { onBehalfOf: org(O.kylayhdistys), agent: person(P.noora), issues: ['culture-and-leisure'], validUntil: '2027-12-31' })).json();
    const wrong = await sanna.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', onBehalfOf: org(O.puutyo) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('onBehalfOf');
    expect((await sanna.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', onBehalfOf: org(O.kylayhdistys) })).json().status).toBe('active');
    const bare = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/revoke`, headers: await t.as({ person: P.sanna }) });
    expect(bare.statusCode).toBe(200);
    expect(bare.json().status).toBe('revoked');
  });
});

describe('looking up a name before granting', () => {
  it('shows the name for a valid identity code, 404 for an unknown one, and stops harvesting', async () => {
    const jari = await as(P.jari);
    expect((await jari.post('/api/v1/parties/lookup', person(P.kari))).json()).toEqual({ type: 'person', id: P.kari, name: 'Kari Mäkelä' });
    expect((await jari.post('/api/v1/parties/lookup', org(O.puutyo))).json().name).toBe('Eliaksen Puutyö Oy');
    expect((await jari.post('/api/v1/parties/lookup', person('010101-999X'))).statusCode).toBe(404);
    expect((await jari.post('/api/v1/parties/lookup', person('010101-999Y'))).json().field).toBe('party.id');
    let last = 0;
    for (let i = 0; i < 60; i++) last = (await jari.post('/api/v1/parties/lookup', person(P.kari))).statusCode;
    expect(last).toBe(429);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/parties/lookup', payload: person(P.kari) })).statusCode).toBe(401);
  });
});
