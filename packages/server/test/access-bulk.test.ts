import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledQuery, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { P, person, startTestApp, type TestApp } from './helpers.js';

/** Counts the statements the app sends while it is installed. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode { this.count++; return args.node; }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> { return args.result; }
}

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

describe('the access rules are evaluated in bulk', () => {
  it('a list of many mandates costs the same number of queries as a list of a few', async () => {
    const markku = await t.as({ person: P.markku });
    const aino = await t.as({ person: P.aino });
    const counter = new QueryCounter();
    const plain = t.ctx.db;
    const measure = async () => {
      t.ctx.db = plain.withPlugin(counter);
      counter.count = 0;
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/me/mandates', headers: markku });
      t.ctx.db = plain;
      expect(r.statusCode).toBe(200);
      return { queries: counter.count, mandates: (Object.values(r.json()) as unknown[][]).reduce((n, l) => n + l.length, 0) };
    };
    const before = await measure();
    for (let i = 0; i < 40; i++) {
      const g = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: aino, payload: { agent: person(P.markku), issues: ['housing'], validUntil: `2027-0${1 + (i % 9)}-15` } });
      expect(g.statusCode).toBe(201);
    }
    const after = await measure();
    expect(after.mandates).toBeGreaterThanOrEqual(before.mandates + 40);
    expect(after.queries).toBe(before.queries);
  });
});

describe("a ward's matters, within the court's scope", () => {
  it('a court-appointed guardian grants in the scope, and is refused outside it', async () => {
    const harri = await t.as({ person: P.harri });
    const inScope = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: harri, payload: { onBehalfOf: person(P.matti), agent: person(P.stranger), issues: ['housing'], validUntil: '2027-06-30' } });
    expect(inScope.statusCode).toBe(201);
    // The ward is offered with what the court guardian may do, and the mandate shows among theirs.
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: harri })).json();
    expect(me.wards).toEqual([expect.objectContaining({ id: P.matti, scope: expect.arrayContaining(['housing']), permittedActions: expect.arrayContaining(['grant']) })]);
    const lists = (await t.app.inject({ method: 'GET', url: '/api/v1/me/mandates', headers: harri })).json();
    // In the ward's own section (not among the court guardian's own), with what the court guardian may do.
    const ward = lists.parties.find((p: { party: { id: string } }) => p.party.id === P.matti);
    expect(ward).toMatchObject({ relation: 'court-guardian', party: { name: expect.any(String) } });
    expect(ward.lists.given.find((m: { id: string }) => m.id === inScope.json().id)).toMatchObject({ principal: { id: P.matti }, side: 'principal', onBehalfOf: { id: P.matti }, permittedActions: expect.arrayContaining(['revoke', 'read-log']) });
    expect(lists.given.map((m: { id: string }) => m.id)).not.toContain(inScope.json().id);
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: harri, payload: { onBehalfOf: person(P.matti), agent: person(P.stranger), issues: ['housing', 'parking-and-streets'], validUntil: '2027-06-30' } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'party.outside-court-scope', params: { issues: ['parking-and-streets'] } });
    // Someone with no standing is refused alike for a known and an unknown party.
    const stranger = await t.as({ person: P.stranger });
    const known = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: stranger, payload: { onBehalfOf: person(P.matti), agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: stranger, payload: { onBehalfOf: person('010101-123N'), agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30' } });
    expect(known.statusCode).toBe(403);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json().code).toBe(known.json().code);
  });
});

describe('a mandate limited to a property', () => {
  it("needs a property the principal owns", async () => {
    const kari = await t.as({ person: P.kari });
    const notHis = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: kari, payload: { agent: person(P.aino), issues: ['housing'], validUntil: '2027-06-30', target: { type: 'property', id: '753-416-2-33' } } });
    expect(notHis.statusCode).toBe(400);
    expect(notHis.json()).toMatchObject({ code: 'property.not-principals', field: 'target.id' });
    const pentti = await t.as({ person: P.pentti });
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: pentti, payload: { agent: person(P.ritva), issues: ['housing'], validUntil: '2027-06-30', target: { type: 'property', id: '049-12-34-5' } } });
    expect(own.statusCode).toBe(201);
  });
});
