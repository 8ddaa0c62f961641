import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, basic, O, P, person, org, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const check = (body: unknown, auth = client('753')) =>
  t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: auth }, payload: body as object });

describe('POST /api/v1/authorizations/check for the fixture people', () => {
  it('Markku may handle his father Veikko\'s housing matters by mandate', async () => {
    const r = await check({ actor: person(P.markku), principal: person(P.veikko), issue: 'housing' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ allowed: true, basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31', oneOff: false });
  });
  it('…but not his early childhood education matters', async () => {
    expect((await check({ actor: person(P.markku), principal: person(P.veikko), issue: 'early-childhood-education' })).json())
      .toMatchObject({ allowed: false, basis: null, reasonCode: 'wrong-issue' });
  });
  it('a stranger has no basis, and is told so in plain words', async () => {
    const r = (await check({ actor: person(P.stranger), principal: person(P.aino), issue: 'housing' })).json();
    expect(r.allowed).toBe(false);
    expect(r.reason).toMatch(/No mandate/);
  });
  it('an expired mandate is refused as expired', async () => {
    expect((await check({ actor: person(P.elias), principal: person(P.noora), issue: 'parking-and-streets' })).json())
      .toMatchObject({ allowed: false, reasonCode: 'expired' });
  });
  it('a guardian acts for a minor child; Onni\'s guardianship ends at his 18th birthday', async () => {
    expect((await check({ actor: person(P.sanna), principal: person(P.ella), issue: 'basic-education' })).json()).toMatchObject({ allowed: true, basis: 'guardianship' });
    expect((await check({ actor: person(P.markku), principal: person(P.onni), issue: 'basic-education', at: '2027-02-02T23:59:00+02:00' })).json()).toMatchObject({ allowed: true, basis: 'guardianship', validUntil: '2027-02-02' });
    expect((await check({ actor: person(P.markku), principal: person(P.onni), issue: 'basic-education', at: '2027-02-03T00:00:00+02:00' })).json()).toMatchObject({ allowed: false, reasonCode: 'guardianship-ended' });
  });
  it('a court guardian acts within the court\'s scope only', async () => {
    expect((await check({ actor: person(P.harri), principal: person(P.matti), issue: 'housing' })).json()).toMatchObject({ allowed: true, basis: 'court-guardianship' });
    expect((await check({ actor: person(P.harri), principal: person(P.matti), issue: 'employment-services' })).json()).toMatchObject({ allowed: false, reasonCode: 'outside-court-scope' });
  });
  it('a CEO who signs alone acts for the company; a joint signatory alone does not', async () => {
    expect((await check({ actor: person(P.jari), principal: org(O.keravaLampo), issue: 'waste-and-water' })).json()).toMatchObject({ allowed: true, basis: 'organization-role' });
    expect((await check({ actor: person(P.markku), principal: org(O.kylayhdistys), issue: 'financial-support' })).json()).toMatchObject({ allowed: false, reasonCode: 'joint-signing-required' });
  });
  it("the company's mandate to Noora counts like a person's", async () => {
    expect((await check({ actor: person(P.noora), principal: org(O.puutyo), issue: 'culture-and-leisure' })).json()).toMatchObject({ allowed: true, basis: 'mandate', mandateId: 'puutyo-noora' });
  });
  it('a property-limited mandate covers that property only', async () => {
    const base = { actor: person(P.laura), principal: person(P.pentti), issue: 'building-control' };
    expect((await check({ ...base, target: { type: 'property', id: '049-12-34-5' } }, client('049'))).json()).toMatchObject({ allowed: true, mandateId: 'pentti-laura' });
    expect((await check({ ...base, target: { type: 'property', id: '245-2-101-9' } }, client('049'))).json()).toMatchObject({ allowed: false, reasonCode: 'other-target' });
  });
  it("a municipality-limited mandate works in that municipality's e-services only", async () => {
    const base = { actor: person(P.tuomas), principal: person(P.emily), issue: 'parking-and-streets' };
    expect((await check(base, client('853'))).json()).toMatchObject({ allowed: true, mandateId: 'emily-tuomas' });
    expect((await check(base, client('049'))).json()).toMatchObject({ allowed: false, reasonCode: 'other-municipality' });
  });
  it('an e-service cannot check on behalf of another municipality', async () => {
    const r = await check({ actor: person(P.tuomas), principal: person(P.emily), issue: 'parking-and-streets', municipality: '853' }, client('049'));
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  });
  it('answers for a given instant in Finnish time', async () => {
    const base = { actor: person(P.mikael), principal: person(P.petra), issue: 'parking-and-streets' };
    expect((await check({ ...base, at: '2027-06-30T23:59:59+03:00' })).json().allowed).toBe(true);
    expect((await check({ ...base, at: '2027-06-30T21:00:00Z' })).json()).toMatchObject({ allowed: false, reasonCode: 'expired' });
  });
});

describe('errors', () => {
  it('refuses anonymous and wrong-secret callers with 401 problem+json', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', payload: { actor: person(P.markku), principal: person(P.veikko), issue: 'housing' } });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toMatch(/Basic/);
    expect((await check({ actor: person(P.markku), principal: person(P.veikko), issue: 'housing' }, basic('demo-753', 'wrong'))).statusCode).toBe(401);
  });
  it.each([
    [{ principal: person(P.veikko), issue: 'housing' }, 'actor'],
    [{ actor: { type: 'person', id: '210170-904X' }, principal: person(P.veikko), issue: 'housing' }, 'actor.id'],
    [{ actor: { type: 'robot', id: P.markku }, principal: person(P.veikko), issue: 'housing' }, 'actor.type'],
    [{ actor: person(P.markku), principal: person(P.veikko), issue: 'no-such-issue' }, 'issue'],
    [{ actor: person(P.markku), principal: person(P.veikko), issue: 'housing', at: 'tomorrow-ish' }, 'at'],
    [{ actor: person(P.markku), principal: person(P.veikko), issue: 'housing', isue: 'x' }, 'isue'],
    [{ actor: person(P.markku), principal: org('1234567-0'), issue: 'housing' }, 'principal.id'],
  ])('bad input %# → 400 naming %s', async (body, field) => {
    const r = await check(body);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });
  it('an unknown person is 404, and the identity code is not echoed', async () => {
    const r = await check({ actor: person('010101-999X'), principal: person(P.veikko), issue: 'housing' });
    expect(r.statusCode).toBe(404);
    expect(r.json().field).toBe('actor.id');
    expect(r.body).not.toContain('010101-999X');
  });
  it('malformed JSON is a 400 problem', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753'), 'content-type': 'application/json' }, payload: '{"actor":' });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('POST /api/v1/authorizations/principals', () => {
  it('lists everyone Markku may act for in housing matters: his father by mandate, his son as guardian', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('753') }, payload: { actor: person(P.markku), issue: 'housing' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().principals).toEqual([
      { type: 'person', id: P.onni, name: 'Onni Lindholm', basis: 'guardianship', validUntil: '2027-02-02' },
      { type: 'person', id: P.veikko, name: 'Veikko Lindholm', basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31' },
    ]);
  });
  it('lists organisations a sole signatory acts for, not joint ones', async () => {
    const kari = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('245') }, payload: { actor: person(P.kari), issue: 'waste-and-water' } });
    expect(kari.json().principals).toEqual([{ type: 'organization', id: O.keravaLampo, name: 'Keravan Lämpö Oy', basis: 'organization-role' }]);
    const markku = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('753') }, payload: { actor: person(P.markku), issue: 'culture-and-leisure' } });
    expect(markku.json().principals.map((p: { id: string }) => p.id)).not.toContain(O.kylayhdistys);
  });
  it('lists property-limited mandates with their target', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('049') }, payload: { actor: person(P.laura), issue: 'building-control' } });
    expect(r.json().principals).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: P.pentti, basis: 'mandate', mandateId: 'pentti-laura', target: { type: 'property', id: '049-12-34-5' } }),
    ]));
  });
});
