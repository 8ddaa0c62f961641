import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { O, P, client, org, person, startTestApp, type TestApp } from './helpers.js';

/**
 * Party requests: a municipality's own e-service asks the register's parties to sign or confirm its
 * document (HTTP Basic as an API client); the parties answer in the portal as they would an errand.
 */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const vendor = (municipality: string) => {
  const auth = client(municipality);
  return {
    create: async (body: object) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/party-requests', headers: { authorization: auth }, payload: body });
      return { status: r.statusCode, body: r.json() as Json };
    },
    get: async (id: string) => {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/party-requests/${id}`, headers: { authorization: auth } });
      return { status: r.statusCode, body: r.json() as Json };
    },
  };
};

async function citizen(id: string) {
  const headers = await t.as({ person: id });
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: (r.body ? r.json() : {}) as Json };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object = {}) => call('POST', url, payload),
    inbox: async () => (await call('GET', '/api/v1/me/messages')).body.messages as { event: string; errandId?: string; subject: string; body: string }[],
  };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const HOME = { type: 'property', id: '753-401-3-45' } as const;
const permit = (extra: object = {}) => ({
  service: 'building-permit', subject: HOME,
  document: { title: 'Rakennuslupahakemus: autokatos, Kartanontie 12', sha256: sha('autokatos'), url: 'https://luvat.sipoo.example/h/42' },
  ...extra,
});

describe('a building permit application in Sipoo asks both owners of the property to sign', () => {
  it('both owners are asked, each signs in the portal, and the e-service sees the request complete', async () => {
    const created = await vendor('753').create(permit({ deadline: '2026-12-20' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting-signatures', deadline: '2026-12-20' });
    expect(created.body.ref).toMatch(/^PA-/);
    const id = created.body.id as string;

    const asked = (await vendor('753').get(id)).body;
    expect(asked).toMatchObject({ id, status: 'awaiting-signatures', service: 'building-permit', subject: HOME, ask: 'sign', deadline: '2026-12-20' });
    expect(asked.document).toEqual({ title: 'Rakennuslupahakemus: autokatos, Kartanontie 12', sha256: sha('autokatos'), url: 'https://luvat.sipoo.example/h/42' });
    expect(asked.parties.map((p: Json) => [p.id, p.name, p.response])).toEqual([[P.elias, 'Elias Korhonen', 'pending'], [P.noora, 'Noora Korhonen', 'pending']]);

    const elias = await citizen(P.elias);
    const noora = await citizen(P.noora);
    // The messages reach both owners: the e-service asks, with the document's title and the deadline.
    for (const who of [elias, noora]) {
      const m = (await who.inbox()).find((x) => x.errandId === id);
      expect(m?.event).toBe('errand.sign-requested');
      expect(m?.body).toContain('Rakennuslupahakemus: autokatos');
    }
    // Nobody applied: the message names the municipality's e-service as the one who asks.
    expect((await noora.inbox()).find((x) => x.errandId === id)?.body).toContain('Pyytäjä: Sipoo');

    // In the portal it is an errand of its own kind, with the document and the action asked for.
    const shown = (await elias.get(`/api/v1/errands/${id}`)).body;
    expect(shown).toMatchObject({ kind: 'party-request', status: 'awaiting-signatures', actor: null, expected: 'sign' });
    expect(shown.document.sha256).toBe(sha('autokatos'));
    expect(shown.permittedActions).toEqual(expect.arrayContaining(['sign', 'decline']));
    expect(shown.permittedActions).not.toContain('edit');
    const mine = (await noora.get('/api/v1/me/errands')).body.items as Json[];
    expect(mine.find((e) => e.id === id)).toMatchObject({ kind: 'party-request', expected: 'sign' });

    expect((await elias.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: shown.hash })).body.status).toBe('awaiting-signatures');
    const half = (await vendor('753').get(id)).body;
    expect(half.status).toBe('awaiting-signatures');
    expect(half.parties.map((p: Json) => p.response)).toEqual(['signed', 'pending']);
    expect(half.parties[0].answeredAt).toBe(t.clock.now.toISOString());

    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: shown.hash })).body.status).toBe('submitted');
    const done = (await vendor('753').get(id)).body;
    expect(done.status).toBe('submitted');
    expect(done.parties.map((p: Json) => p.response)).toEqual(['signed', 'signed']);
    expect(done.completedAt).toBe(t.clock.now.toISOString());
    // Nothing waits for a decision: the portal expects nothing more of the parties, and a caseworker has nothing to decide.
    expect((await noora.get(`/api/v1/errands/${id}`)).body.expected).toBe('nothing');
    const cwHeaders = await t.as({ staff: 'caseworker-753' });
    const cwView = await t.app.inject({ method: 'GET', url: `/api/v1/errands/${id}`, headers: cwHeaders });
    expect(cwView.json().permittedActions).not.toContain('decide');
    const decide = await t.app.inject({ method: 'POST', url: `/api/v1/errands/${id}/decision`, headers: cwHeaders, payload: { outcome: 'approved', text: 'x' } });
    expect(decide.statusCode).toBe(409);
  });

  it('the e-service is the actor of record: the events name the API client', async () => {
    const id = (await vendor('753').create(permit())).body.id as string;
    const events = await t.ctx.db.selectFrom('domain_events').select(['type', 'actor']).where('errand_id', '=', id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['errand.created', 'errand.parties-asked']);
    expect(events[0]!.actor).toMatchObject({ kind: 'api-client', id: 'demo-753', municipality: '753' });
  });

  it('a party who declines, with a reason, ends the request as declined', async () => {
    const id = (await vendor('753').create(permit())).body.id as string;
    const noora = await citizen(P.noora);
    const blank = await noora.post(`/api/v1/errands/${id}/responses`, { response: 'decline', reason: ' ' });
    expect(blank.body).toMatchObject({ code: 'errand.reason-required', field: 'reason' });
    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'decline', reason: 'En hyväksy autokatoksen paikkaa.' })).body.status).toBe('declined');
    const r = (await vendor('753').get(id)).body;
    expect(r.status).toBe('declined');
    expect(r.parties[1]).toMatchObject({ id: P.noora, response: 'declined', declineReason: 'En hyväksy autokatoksen paikkaa.' });
    // The other owner can no longer sign it.
    expect((await (await citizen(P.elias)).post(`/api/v1/errands/${id}/responses`, { response: 'sign' })).status).toBe(409);
  });
});

describe('consents: services that do not ask for signatures ask the parties to confirm', () => {
  it("early childhood education in Sipoo: both guardians of the child are asked to confirm", async () => {
    const r = await vendor('753').create({ service: 'ece-application', subject: person(P.ella), document: { title: 'Suostumus tietojen luovutukseen', sha256: sha('consent'), summary: 'Ellan tiedot siirtyvät esiopetukseen.' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status).toBe('awaiting-confirmations');
    // Without a deadline, the parties have the default time to answer.
    expect(r.body.deadline).toBe('2026-12-15');
    const id = r.body.id as string;
    const got = (await vendor('753').get(id)).body;
    expect(got.ask).toBe('confirm');
    expect(got.parties.map((p: Json) => p.id).sort()).toEqual([P.jari, P.sanna].sort());
    const sanna = await citizen(P.sanna);
    expect((await sanna.inbox()).some((m) => m.errandId === id && m.event === 'errand.confirm-requested')).toBe(true);
    expect((await sanna.post(`/api/v1/errands/${id}/responses`, { response: 'sign' })).body.code).toBe('errand.wrong-answer');
    expect((await sanna.post(`/api/v1/errands/${id}/responses`, { response: 'confirm' })).body.status).toBe('awaiting-confirmations');
    expect((await (await citizen(P.jari)).post(`/api/v1/errands/${id}/responses`, { response: 'confirm' })).body.status).toBe('submitted');
    expect((await vendor('753').get(id)).body.parties.map((p: Json) => p.response)).toEqual(['confirmed', 'confirmed']);
  });

  it('a service whose parties the registers cannot tell asks those the e-service names; an unknown one is refused', async () => {
    const body = { service: 'facility-booking', subject: org(O.kylayhdistys), document: { title: 'Tilavaraus: nuorisotalo', sha256: sha('booking') } };
    const named = await vendor('753').create({ ...body, parties: [person(P.kari)] });
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    const got = (await vendor('753').get(named.body.id)).body;
    expect(got.parties).toMatchObject([{ type: 'person', id: P.kari, response: 'pending' }]);
    // Someone who is not a party does not see it in the portal.
    expect((await (await citizen(P.stranger)).get(`/api/v1/errands/${named.body.id}`)).status).toBe(404);

    const unknown = await vendor('753').create({ ...body, parties: [person('010101-123N')] });
    expect(unknown.body).toMatchObject({ code: 'party.unknown', field: 'parties.0.id' });
  });
});

describe('refusals', () => {
  it("another municipality's client does not see the request", async () => {
    const id = (await vendor('753').create(permit())).body.id as string;
    const r = await vendor('245').get(id);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('party-request.not-found');
    // Nor does an ordinary errand's id answer here.
    expect((await vendor('753').get('6c1f4b8e-7d1a-4f55-9b1e-3c2a4d5e6f70')).body.code).toBe('party-request.not-found');
  });

  it('a document digest that is not SHA-256 in hexadecimal is refused naming document.sha256', async () => {
    const r = await vendor('753').create(permit({ document: { title: 'X', sha256: 'not-a-digest' } }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'party-request.hash-invalid', field: 'document.sha256' });
    const http = await vendor('753').create(permit({ document: { title: 'X', sha256: sha('x'), url: 'http://luvat.example/1' } }));
    expect(http.status).toBe(400);
    expect(http.body.field).toBe('document.url');
  });

  it('a service the municipality does not offer is refused', async () => {
    const r = await vendor('753').create({ service: 'resident-parking', subject: person(P.kari), document: { title: 'X', sha256: sha('x') } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'errand.unknown-service', field: 'service' });
  });

  it('no parties at all is refused', async () => {
    const r = await vendor('753').create({ service: 'feedback', subject: person(P.kari), document: { title: 'Palaute', sha256: sha('feedback') } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'party-request.no-parties', field: 'parties' });
  });

  it('a deadline today, or more than 90 days ahead, is refused', async () => {
    for (const deadline of ['2026-12-01', '2027-03-02', '2026-02-30']) {
      const r = await vendor('753').create(permit({ deadline }));
      expect(r.status, deadline).toBe(400);
      expect(r.body, deadline).toMatchObject({ code: 'party-request.deadline-invalid', field: 'deadline' });
    }
    expect((await vendor('753').create(permit({ deadline: '2027-03-01' }))).status).toBe(201);
  });

  it('the subject must fit the service', async () => {
    const r = await vendor('753').create(permit({ subject: person(P.elias) }));
    expect(r.body).toMatchObject({ code: 'errand.subject-type', field: 'subject.type' });
  });

  it('a person session cannot use the e-service API, nor a request without credentials', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/party-requests', payload: permit() });
    expect(anon.statusCode).toBe(401);
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/party-requests', headers: await t.as({ person: P.elias }), payload: permit() });
    expect(session.statusCode).toBe(401);
  });
});
