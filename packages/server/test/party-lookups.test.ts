/**
 * Whether an identity code or business id exists is revealed only as often as the name look-up
 * allows: every endpoint that would answer differently for a known and an unknown party spends from
 * the same per-subject budget (60 per 10 minutes), and beyond it known and unknown answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { O, P, org, person, startTestApp, type SessionHeaders, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(async () => { await t?.stop(); });

const UNKNOWN_PERSON = '010101-999X';
const UNKNOWN_ORG = '1234567-1';
const terms = { issues: ['housing'], validUntil: '2027-12-31' };

const post = (headers: SessionHeaders, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });
const lookup = (headers: SessionHeaders, p: object) => post(headers, '/api/v1/parties/lookup', p);
async function lookups(headers: SessionHeaders, n: number) {
  for (let i = 0; i < n; i++) expect((await lookup(headers, person(P.kari))).statusCode).toBe(200);
}
const mandates = async () => Number((await t.ctx.db.selectFrom('mandates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Same status, same body, same headers that matter: nothing tells the two apart. */
function expectAlike(a: { statusCode: number; body: string; headers: Record<string, unknown> }, b: typeof a) {
  expect(a.statusCode).toBe(429);
  expect(b.statusCode).toBe(a.statusCode);
  expect(b.body).toBe(a.body);
  expect(b.headers['content-type']).toBe(a.headers['content-type']);
  expect(b.headers['retry-after']).toBe(a.headers['retry-after']);
}

describe('beyond the budget', () => {
  it('a mandate request, a grant and an onBehalfOf answer the same for an unknown and a known code', async () => {
    const jari = await t.as({ person: P.jari });
    await lookups(jari, 60);
    const before = await mandates();

    const requestUnknown = await post(jari, '/api/v1/mandate-requests', { principal: person(UNKNOWN_PERSON), ...terms });
    const requestKnown = await post(jari, '/api/v1/mandate-requests', { principal: person(P.veikko), ...terms });
    expectAlike(requestUnknown, requestKnown);
    expect(requestKnown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(requestKnown.json()).toMatchObject({ status: 429, code: 'rate.limited' });
    expect(requestKnown.body).not.toContain(P.veikko);

    expectAlike(
      await post(jari, '/api/v1/mandates', { agent: person(UNKNOWN_PERSON), ...terms }),
      await post(jari, '/api/v1/mandates', { agent: person(P.kari), ...terms }),
    );
    expectAlike(
      await post(jari, '/api/v1/mandates', { agent: org(UNKNOWN_ORG), ...terms }),
      await post(jari, '/api/v1/mandates', { agent: org(O.puutyo), ...terms }),
    );
    // Naming an organisation one does not sign for, known or not.
    expectAlike(
      await post(jari, '/api/v1/mandate-requests', { onBehalfOf: org(UNKNOWN_ORG), principal: person(P.veikko), ...terms }),
      await post(jari, '/api/v1/mandate-requests', { onBehalfOf: org(O.puutyo), principal: person(P.veikko), ...terms }),
    );
    expectAlike(await lookup(jari, person(UNKNOWN_PERSON)), await lookup(jari, person(P.kari)));
    expect(await mandates()).toBe(before);
  });

  it("a caseworker's checks give names only within the same budget; then unknown and known answer alike, also for paper mandates", async () => {
    const cw = await t.as({ staff: 'caseworker-753' });
    const check = (actor: string, principal: string) => post(cw, '/api/v1/staff/checks', { actor: person(actor), principal: person(principal), issue: 'housing' });
    // Two parties per check: 30 checks spend the 60.
    for (let i = 0; i < 30; i++) {
      const r = await check(P.markku, P.veikko);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ actorName: 'Markku Lindholm', principalName: 'Veikko Lindholm' });
    }
    const unknown = await check(UNKNOWN_PERSON, P.veikko);
    const known = await check(P.markku, P.veikko);
    expectAlike(unknown, known);
    expect(known.body).not.toContain('Lindholm');

    const paper = (agent: string) => post(cw, '/api/v1/staff/paper-mandates', {
      principal: person(P.veikko), agent: person(agent), ...terms, document: { reference: 'P-1', signedOn: '2026-11-30' },
    });
    expectAlike(await paper(UNKNOWN_PERSON), await paper(P.markku));

    // The budget is per 10 minutes (on the app's clock).
    const was = t.clock.now;
    try {
      t.clock.now = new Date(was.getTime() + 10 * 60_000);
      expect((await check(P.markku, P.veikko)).json()).toMatchObject({ principalName: 'Veikko Lindholm' });
      expect((await check(UNKNOWN_PERSON, P.veikko)).statusCode).toBe(404);
    } finally {
      t.clock.now = was;
    }
  });
});

describe('one budget for every endpoint', () => {
  it('a mandate request spends from the look-up budget, and look-ups from the request budget', async () => {
    const petra = await t.as({ person: P.petra });
    await lookups(petra, 58);
    // Within the budget an unknown principal is a 404, a known one a request: each costs one look-up.
    expect((await post(petra, '/api/v1/mandate-requests', { principal: person(UNKNOWN_PERSON), ...terms })).statusCode).toBe(404);
    expect((await post(petra, '/api/v1/mandate-requests', { principal: person(P.mikael), ...terms })).statusCode).toBe(201);
    expect((await lookup(petra, person(P.kari))).statusCode).toBe(429);
    expect((await post(petra, '/api/v1/mandate-requests', { principal: person(P.mikael), ...terms })).statusCode).toBe(429);
  });

  it('a grant spends too; a malformed code (400, reveals nothing) and oneself do not', async () => {
    const aino = await t.as({ person: P.aino });
    expect((await post(aino, '/api/v1/mandates', { agent: person(P.kari), ...terms })).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) {
      expect((await lookup(aino, person('010101-999Y'))).statusCode).toBe(400);
      expect((await lookup(aino, person(P.aino))).statusCode).toBe(200);
    }
    await lookups(aino, 59);
    expect((await lookup(aino, person(P.kari))).statusCode).toBe(429);
  });

  it('the organisation one signs for costs nothing; the agent named does', async () => {
    const markku = await t.as({ person: P.markku });
    await lookups(markku, 59);
    const r = await post(markku, '/api/v1/mandates', { onBehalfOf: org(O.kylayhdistys), agent: person(P.noora), issues: ['culture-and-leisure'], validUntil: '2027-12-31' });
    expect(r.statusCode).toBe(201);
    expect((await lookup(markku, person(P.kari))).statusCode).toBe(429);
  });
});
