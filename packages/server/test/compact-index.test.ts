import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asMunicipalityCode, decide, partyKey, type CheckQuery, type LocalDate, type PartyRef } from '@puolesta/domain';
import { sql } from '../src/db/database.js';
import { generatePopulation, writePopulation, type GeneratedFixture } from '../src/registers/generate.js';
import { AuthorizationIndex } from '../src/services/authorization-index.js';
import { IdBytes, Parties } from '../src/services/compact-index.js';
import { loadRelations } from '../src/repositories/registers.repository.js';
import { freshDatabase } from './helpers.js';

const REF = '2026-12-01';
const N = 1500;
const person = (id: string): PartyRef => ({ type: 'person', id } as PartyRef);
const org = (id: string): PartyRef => ({ type: 'organization', id } as PartyRef);

describe('compact parts of the authorization index', () => {
  it('numbers identity codes, business ids and ids of any other form, and gives each back as it came', () => {
    const f = generatePopulation({ persons: 300, seed: 'pack', referenceDate: REF });
    const parties = new Parties();
    const refs: PartyRef[] = [...f.persons.map((p) => person(p.id)), ...f.organizations.map((o) => org(o.id)), person('not-a-code'), org('x'), person('010101-123a')];
    const numbers = refs.map((r) => parties.add(r.type, r.id));
    expect(new Set(numbers).size).toBe(refs.length);
    refs.forEach((r, i) => {
      expect(parties.find(r.type, r.id)).toBe(numbers[i]);
      expect(parties.ref(numbers[i]!)).toEqual(r);
    });
    // The same digits as a person and as an organisation are two parties; an unknown id has no number.
    expect(parties.find('organization', f.persons[0]!.id)).toBe(-1);
    expect(parties.find('person', '311299-999X')).toBe(-1);
    expect(parties.isKnown(numbers[0]!)).toBe(false);
    expect(parties.knows(refs[0]!.type, refs[0]!.id)).toBe(false);
    // Known: a person of the register, an organisation, an id of another form; asked right after
    // (the look-up memo must not answer from before the mark).
    const known = [0, 300, refs.length - 2];
    for (const i of known) {
      parties.markKnown(numbers[i]!);
      expect(parties.isKnown(numbers[i]!)).toBe(true);
      expect(parties.knows(refs[i]!.type, refs[i]!.id)).toBe(true);
    }
    const knownNow = (i: number) => known.includes(i);
    // Growing past the first table keeps every number and every party's known flag.
    for (let i = 0; i < 200_000; i++) parties.add('organization', `${String(1_000_000 + i)}-${i % 10}`);
    refs.forEach((r, i) => {
      expect(parties.find(r.type, r.id)).toBe(numbers[i]);
      expect(parties.knows(r.type, r.id)).toBe(knownNow(i));
    });
    expect(parties.knows('person', '311299-999X')).toBe(false);
    expect(parties.knows('organization', 'never-seen')).toBe(false);
  });

  it('a party looked up before it was numbered is found once it is (the look-up memo forgets)', () => {
    const parties = new Parties();
    const a = person('010144-123X'), b = org('1234567-1'), odd = person('not-a-code');
    for (const r of [a, b, odd]) expect(parties.find(r.type, r.id)).toBe(-1);
    // Asked again right away (as a check does: known?, then relations): still -1, from the memo.
    expect(parties.find(a.type, a.id)).toBe(-1);
    const na = parties.add(a.type, a.id);
    expect(parties.find(a.type, a.id)).toBe(na);
    const no = parties.add(odd.type, odd.id);
    expect(parties.find(odd.type, odd.id)).toBe(no);
    expect(parties.find(b.type, b.id)).toBe(-1);
    // The same digits as another kind of party are not the memo's party.
    expect(parties.find('organization', a.id)).toBe(-1);
    expect(parties.find(a.type, a.id)).toBe(na);
  });

  it('keeps mandate ids as bytes: UUIDs in 17, any other id as it is', () => {
    const ids = new IdBytes();
    const values = [randomUUID(), 'g000001a', 'h0000zz', 'veikko-markku', randomUUID().toUpperCase(), 'ääkkönen'];
    const at = values.map((v) => ids.addString(v));
    values.forEach((v, i) => expect(ids.get(at[i]!)).toBe(v));
    expect(at[1]! - at[0]!).toBe(17);
  });
});

describe('the compact index answers as the database does', () => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let index: AuthorizationIndex;
  let f: GeneratedFixture;

  beforeAll(async () => {
    h = await freshDatabase();
    await writePopulation(h, { persons: N, seed: 'compact', referenceDate: REF, url: process.env.DATABASE_URL });
    f = generatePopulation({ persons: N, seed: 'compact', referenceDate: REF });
    index = new AuthorizationIndex(h);
    await index.start();
  }, 120_000);
  afterAll(async () => {
    await index?.stop();
    await h?.drop();
  });

  /** Pairs with every kind of basis, and strangers. */
  function pairs(): [PartyRef, PartyRef][] {
    const out: [PartyRef, PartyRef][] = [];
    for (const m of f.mandates) out.push([{ type: m.agentType, id: m.agent } as PartyRef, { type: m.principalType, id: m.principal } as PartyRef]);
    for (const g of f.guardianships) out.push([person(g.guardian), person(g.child)]);
    for (const c of f.courtGuardianships) out.push([person(c.guardian), person(c.ward)]);
    for (const o of f.organizations) for (const r of o.roles) out.push([person(r.person), org(o.id)]);
    for (let i = 0; i + 1 < f.persons.length; i += 7) out.push([person(f.persons[i]!.id), person(f.persons[i + 1]!.id)]);
    out.push([person('010101-9999'), person(f.persons[0]!.id)]);
    // A spread sample (PGlite answers ~1 ms a pair): every kind of basis stays in it.
    return out.filter((_, i) => i % 5 === 0 || i >= out.length - 3);
  }

  async function expectSameAnswers(list: [PartyRef, PartyRef][], dates: string[]) {
    const issues = ['housing', 'early-childhood-education', 'building-control', 'financial-support', 'property-matters'];
    let compared = 0, allowed = 0;
    for (const [actor, principal] of list) {
      const fromDb = await loadRelations(h.db, actor, principal);
      const fromIndex = index.relations(actor, principal);
      for (const date of dates) {
        for (const issue of issues) {
          for (const municipality of [asMunicipalityCode('245'), null]) {
            const q: CheckQuery = { actor, principal, issue, municipality, date: date as LocalDate };
            const want = decide(q, fromDb);
            expect(decide(q, fromIndex), JSON.stringify(q)).toEqual(want);
            compared++;
            if (want.allowed) allowed++;
          }
        }
      }
    }
    // The comparison means something only if both answers occur.
    expect(allowed).toBeGreaterThan(compared / 20);
    expect(allowed).toBeLessThan(compared);
  }

  it('decides every generated pair as decide() over the database relations does', async () => {
    await expectSameAnswers(pairs(), [REF, '2029-06-30']);
  }, 240_000);

  it('knows the parties in the registers, and lists the candidates the database has', async () => {
    expect(index.knows(person(f.persons[5]!.id))).toBe(true);
    expect(index.knows(org(f.organizations[0]!.id))).toBe(true);
    expect(index.knows(person('010101-9999'))).toBe(false);
    const agents = [...new Set(f.mandates.map((m) => m.agent))].slice(0, 40);
    for (const a of agents) {
      const actor = f.organizations.some((o) => o.id === a) ? org(a) : person(a);
      const want = new Set<string>();
      for (const m of f.mandates) if (m.agent === a && m.agentType === actor.type) want.add(partyKey({ type: m.principalType, id: m.principal } as PartyRef));
      if (actor.type === 'person') {
        for (const g of f.guardianships) if (g.guardian === a) want.add(partyKey(person(g.child)));
        for (const c of f.courtGuardianships) if (c.guardian === a) want.add(partyKey(person(c.ward)));
        for (const o of f.organizations) if (o.roles.some((r) => r.person === a)) want.add(partyKey(org(o.id)));
      }
      expect(new Set(index.candidatePrincipals(actor).map(partyKey))).toEqual(want);
    }
  });

  it('applies changes after the load over the immutable base (mandates and registers), and answers as the database', async () => {
    const active = f.mandates.filter((m) => m.status === 'active').slice(0, 30);
    const g = f.guardianships[3]!;
    const o = f.organizations.find((x) => x.roles.some((r) => r.signing === 'alone'))!;
    const role = o.roles.find((r) => r.signing === 'alone')!;
    const fresh = f.persons.find((p) => p.id !== active[0]!.agent && p.id !== active[0]!.principal && !f.mandates.some((m) => m.agent === p.id))!;
    await h.db.transaction().execute(async (tx) => {
      const v = Number((await sql<{ version: string }>`update authz_state set version = version + 1 where id = 1 returning version`.execute(tx)).rows[0]!.version);
      await tx.updateTable('mandates').set({ status: 'revoked', change_version: v }).where('id', 'in', active.map((m) => m.key)).execute();
      // A new mandate for an agent who had none, to a principal the index did not know as anyone's principal.
      await tx.insertInto('mandates').values({
        id: randomUUID(), principal_type: 'person', principal_id: active[0]!.principal, agent_type: 'person', agent_id: fresh.id, issues: ['housing'],
        valid_from: '2026-01-01', valid_until: '2027-12-31', status: 'active', one_off: false, source: 'electronic', created_by: JSON.stringify({ kind: 'test' }), change_version: v,
      } as never).execute();
      await tx.deleteFrom('guardianships').where('guardian_id', '=', g.guardian).where('child_id', '=', g.child).execute();
      await tx.insertInto('register_removals').values({ register: 'guardianship', person_id: g.guardian, other_id: g.child, change_version: v } as never).execute();
      await tx.updateTable('organization_roles').set({ signing: 'none', change_version: v } as never).where('organization_id', '=', o.id).where('person_id', '=', role.person).where('role', '=', role.role).execute();
    });
    await index.refresh();
    expect(index.sizes().overlayAgents).toBeGreaterThan(0);
    const changed: [PartyRef, PartyRef][] = [
      ...active.map((m) => [{ type: m.agentType, id: m.agent }, { type: m.principalType, id: m.principal }] as [PartyRef, PartyRef]),
      [person(fresh.id), person(active[0]!.principal)], [person(g.guardian), person(g.child)], [person(role.person), org(o.id)],
    ];
    const q = (a: PartyRef, p: PartyRef, issue: string): CheckQuery => ({ actor: a, principal: p, issue, municipality: null, date: REF as LocalDate });
    expect(decide(q(person(fresh.id), person(active[0]!.principal), 'housing'), index.relations(person(fresh.id), person(active[0]!.principal))).allowed).toBe(true);
    expect(decide(q(person(g.guardian), person(g.child), 'housing'), index.relations(person(g.guardian), person(g.child))).basis).not.toBe('guardianship');
    expect(index.candidatePrincipals(person(fresh.id)).map(partyKey)).toEqual([partyKey(person(active[0]!.principal))]);
    await expectSameAnswers([...changed, ...pairs().slice(0, 100)], [REF]);
  }, 120_000);
});
