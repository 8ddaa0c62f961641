import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { O, P, person, startTestApp, type TestApp } from './helpers.js';

/**
 * The grant and request forms offer the people the registers and mandates relate me to (issue 10),
 * from `GET /api/v1/me/people`; and an agent whose request was granted narrower than asked is told
 * so, also when the narrowing came from the first of two guardians.
 */
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ simulators: true }); });
afterAll(async () => { await t?.stop(); });

async function as(who: string) {
  const headers = await t.as({ person: who });
  return {
    get: (url: string) => t.app.inject({ method: 'GET', url, headers }),
    post: (url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers, payload }),
  };
}
type People = { today: string; people: { type: string; id: string; name: string; relations: string[] }[] };
const peopleOf = async (who: string) => {
  const r = await (await as(who)).get('/api/v1/me/people');
  expect(r.statusCode, r.body).toBe(200);
  return r.json<People>();
};
const relationsOf = (p: People, id: string) => p.people.find((x) => x.id === id)?.relations;

describe('GET /api/v1/me/people', () => {
  it('a parent sees her children, their other guardian, the co-owners of her home and whom she gave mandates', async () => {
    const p = await peopleOf(P.petra);
    expect(p.today).toBe('2026-12-01');
    expect(relationsOf(p, P.alva)).toEqual(['child']);
    expect(relationsOf(p, P.leo)).toEqual(['child']);
    // Mikael: the children's other guardian, a co-owner of the house and the agent of her mandate, once.
    expect(relationsOf(p, P.mikael)).toEqual(['co-guardian', 'co-owner', 'has-my-mandate']);
    expect(p.people.filter((x) => x.id === P.mikael)).toHaveLength(1);
    expect(relationsOf(p, P.kari)).toEqual(['co-owner']);
    expect(p.people.find((x) => x.id === P.mikael)?.name).toBe('Mikael Sjöberg');
    // Never herself, nobody unrelated.
    expect(relationsOf(p, P.petra)).toBeUndefined();
    expect(relationsOf(p, P.stranger)).toBeUndefined();
    expect(relationsOf(p, P.aino)).toBeUndefined();
  });

  it('a child sees the parent; a signatory sees the organisation; a mandate given to me counts', async () => {
    expect(relationsOf(await peopleOf(P.onni), P.markku)).toEqual(['parent']);
    const markku = await peopleOf(P.markku);
    expect(relationsOf(markku, O.kylayhdistys)).toEqual(['organization']);
    expect(markku.people.find((x) => x.id === O.kylayhdistys)?.type).toBe('organization');
    expect(relationsOf(markku, P.veikko)).toEqual(['gave-me-mandate']);
    expect(relationsOf(markku, P.onni)).toEqual(['child']);
    expect(relationsOf(markku, P.sanna)).toEqual(['co-owner']);
  });

  it('a request I sent makes its principal one of my people', async () => {
    expect(relationsOf(await peopleOf(P.stranger), P.aino)).toBeUndefined();
    const r = await (await as(P.stranger)).post('/api/v1/mandate-requests', { principal: person(P.aino), issues: ['housing'], validUntil: '2027-06-30' });
    expect(r.statusCode, r.body).toBe(201);
    expect(relationsOf(await peopleOf(P.stranger), P.aino)).toEqual(['gave-me-mandate']);
  });

  it('offers an organisation only matters some service handles for an organisation or its property', async () => {
    const p = (await (await as(P.markku)).get('/api/v1/me/people')).json<{ issuesFor: { person: string[]; organization: string[] } }>();
    expect(p.issuesFor.person).toContain('early-childhood-education');
    expect(p.issuesFor.person).toContain('housing');
    expect(p.issuesFor.organization).not.toContain('early-childhood-education');
    expect(p.issuesFor.organization).not.toContain('basic-education');
    expect(p.issuesFor.organization).not.toContain('housing');
    expect(p.issuesFor.organization).toEqual(expect.arrayContaining(['building-control', 'parking-and-streets', 'culture-and-leisure', 'financial-support']));
  });

  it('is for a logged-in person only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/people' })).statusCode).toBe(401);
    const staff = await t.as({ staff: 'caseworker-245' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/people', headers: staff })).statusCode).toBe(403);
  });
});

describe('an agent whose request was granted narrower than asked is told', () => {
  it('also when the first of two guardians narrowed it and the second only confirmed', async () => {
    const r = await (await as(P.veikko)).post('/api/v1/mandate-requests', { principal: person(P.ella), issues: ['early-childhood-education', 'basic-education'], validUntil: '2027-06-30' });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    const first = await (await as(P.sanna)).post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant', issues: ['early-childhood-education'] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('requested');
    const second = await (await as(P.jari)).post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().status).toBe('active');
    await t.worker.drain();
    const inbox = (await (await as(P.veikko)).get('/api/v1/me/messages')).json<{ messages: { event: string; mandateId?: string }[] }>();
    const events = inbox.messages.map((m) => m.event);
    expect(events).toContain('mandate.narrowed');
    expect(events).not.toContain('mandate.granted');
    // The agent's view of the mandate says what was asked beside what was given.
    const view = (await (await as(P.veikko)).get(`/api/v1/mandates/${id}`)).json<{ issues: string[]; askedFor?: { issues: string[] } }>();
    expect(view.issues).toEqual(['early-childhood-education']);
    expect(view.askedFor?.issues).toEqual(['early-childhood-education', 'basic-education']);
  });

  it('not when everything asked was granted', async () => {
    const r = await (await as(P.veikko)).post('/api/v1/mandate-requests', { principal: person(P.ella), issues: ['housing'], validUntil: '2027-06-30' });
    const id = r.json<{ id: string }>().id;
    expect((await (await as(P.sanna)).post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(200);
    expect((await (await as(P.jari)).post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(200);
    await t.worker.drain();
    const inbox = (await (await as(P.veikko)).get('/api/v1/me/messages')).json<{ messages: { event: string }[] }>();
    expect(inbox.messages.filter((m) => m.event === 'mandate.granted')).toHaveLength(1);
    expect((await (await as(P.veikko)).get(`/api/v1/mandates/${id}`)).json<{ askedFor?: unknown }>().askedFor).toBeUndefined();
  });
});
