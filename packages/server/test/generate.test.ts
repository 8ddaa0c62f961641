import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addYears, asMunicipalityCode, birthDateOf, isBusinessId, isPersonalIdentityCode, isPropertyId, type LocalDate } from '@puolesta/domain';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import {
  businessId, generateBatches, generatePopulation, HEAVY_AGENT_PRINCIPALS, HEAVY_MANDATE_PREFIX, identityCode, writePopulation, type GeneratedFixture,
} from '../src/registers/generate.js';
import { parseArgs } from '../src/registers/generate-cli.js';
import { client, DATABASE_URL, freshDatabase, REFERENCE_NOW } from './helpers.js';

const REF = '2026-12-01';
const N = 2000;
const isMinor = (id: string) => REF < addYears(birthDateOf(id), 18);

describe('generated population', () => {
  const f = generatePopulation({ persons: N, seed: 'test', referenceDate: REF });

  it('is the same for the same seed and options, whatever the batch size, and differs for another seed', () => {
    const again = generatePopulation({ persons: N, seed: 'test', referenceDate: REF });
    expect(JSON.stringify(again)).toBe(JSON.stringify(f));
    const small = { persons: [] as unknown[], mandates: [] as unknown[] };
    for (const b of generateBatches({ persons: N, seed: 'test', referenceDate: REF }, 333)) {
      small.persons.push(...b.persons);
      small.mandates.push(...b.mandates);
    }
    expect(JSON.stringify(small.persons)).toBe(JSON.stringify(f.persons));
    expect(JSON.stringify(small.mandates)).toBe(JSON.stringify(f.mandates));
    const other = generatePopulation({ persons: N, seed: 'other', referenceDate: REF });
    expect(other.persons.map((p) => p.id)).not.toEqual(f.persons.map((p) => p.id));
  });

  it('has the asked-for counts', () => {
    expect(f.persons).toHaveLength(N);
    expect(f.mandates).toHaveLength(2 * N);
    expect(generatePopulation({ persons: 500, mandatesPerPerson: 0.5, referenceDate: REF }).mandates).toHaveLength(250);
    expect(f.guardianships.length).toBeGreaterThan(N / 4);
    expect(f.courtGuardianships.length).toBeGreaterThan(0);
    expect(f.organizations.length).toBe(N / 40);
    expect(f.properties.length).toBeGreaterThan(0);
    expect(f.municipalities.length).toBeGreaterThan(0);
    expect(f.apiClients.length).toBeGreaterThan(0);
  });

  it('gives every person a valid, unique test identity code that matches the birth date', () => {
    const ids = new Set<string>();
    const signs = new Set<string>();
    for (const p of f.persons) {
      expect(isPersonalIdentityCode(p.id), p.id).toBe(true);
      const individual = Number(p.id.slice(7, 10));
      expect(individual).toBeGreaterThanOrEqual(900);
      expect(individual).toBeLessThanOrEqual(999);
      expect(birthDateOf(p.id)).toBe(p.birthDate);
      ids.add(p.id);
      signs.add(p.id[6]!);
    }
    expect(ids.size).toBe(N);
    // Both centuries, and a 2023 sign besides the traditional ones.
    expect(signs.has('-') && signs.has('A')).toBe(true);
    expect([...signs].some((s) => 'BCDEFUVWXY'.includes(s))).toBe(true);
  });

  it('computes check characters and business id check digits as the domain does', () => {
    expect(identityCode('1962-03-14', '-', 901)).toBe('140362-901H'); // the demo fixture's Kari
    expect(identityCode('2011-04-12', 'A', 906)).toBe('120411A9061');
    expect(businessId(2345678)).toBe('2345678-0');
    for (let n = 1_000_000; n < 1_000_200; n++) {
      const b = businessId(n);
      if (b) expect(isBusinessId(b)).toBe(true);
    }
    const orgIds = f.organizations.map((o) => o.id);
    expect(orgIds.every(isBusinessId)).toBe(true);
    expect(new Set(orgIds).size).toBe(orgIds.length);
    expect(f.properties.every((p) => isPropertyId(p.id))).toBe(true);
  });

  it('has adult guardians and minor children; court guardians and role holders are adults', () => {
    const persons = new Set(f.persons.map((p) => p.id));
    for (const g of f.guardianships) {
      expect(persons.has(g.guardian) && persons.has(g.child)).toBe(true);
      expect(isMinor(g.guardian), g.guardian).toBe(false);
      expect(isMinor(g.child), g.child).toBe(true);
    }
    const guardiansOfChild = new Map<string, number>();
    for (const g of f.guardianships) guardiansOfChild.set(g.child, (guardiansOfChild.get(g.child) ?? 0) + 1);
    expect([...guardiansOfChild.values()].filter((c) => c === 2).length).toBeGreaterThan(0);
    for (const c of f.courtGuardianships) expect(isMinor(c.guardian) || isMinor(c.ward) || c.guardian === c.ward).toBe(false);
    for (const o of f.organizations) for (const r of o.roles) expect(isMinor(r.person)).toBe(false);
  });

  it('has mandates of every kind, with sound terms', () => {
    const persons = new Set(f.persons.map((p) => p.id));
    const orgs = new Set(f.organizations.map((o) => o.id));
    const issueCodes = new Set(f.issues.map((i) => i.code));
    for (const m of f.mandates) {
      expect(m.principal).not.toBe(m.agent);
      expect((m.principalType === 'person' ? persons : orgs).has(m.principal)).toBe(true);
      expect((m.agentType === 'person' ? persons : orgs).has(m.agent)).toBe(true);
      expect(m.validUntil >= m.validFrom).toBe(true);
      expect(m.issues.every((i) => issueCodes.has(i))).toBe(true);
    }
    const some = (p: (m: GeneratedFixture['mandates'][number]) => boolean) => f.mandates.filter(p).length;
    expect(some((m) => m.principalType === 'organization')).toBeGreaterThan(0);
    expect(some((m) => m.agentType === 'organization')).toBeGreaterThan(0);
    expect(some((m) => m.oneOff === true)).toBeGreaterThan(0);
    expect(some((m) => m.municipality !== undefined)).toBeGreaterThan(0);
    expect(some((m) => m.target !== undefined)).toBeGreaterThan(0);
    expect(some((m) => m.validUntil < REF)).toBeGreaterThan(0);
    expect(some((m) => m.status === 'revoked')).toBeGreaterThan(0);
    expect(some((m) => m.principalType === 'person' && isMinor(m.principal))).toBeGreaterThan(0);
    // An agent with HEAVY_AGENT_PRINCIPALS principals.
    const heavy = f.mandates.filter((m) => m.key.startsWith(HEAVY_MANDATE_PREFIX));
    expect(heavy).toHaveLength(HEAVY_AGENT_PRINCIPALS);
    expect(new Set(heavy.map((m) => m.principal)).size).toBe(HEAVY_AGENT_PRINCIPALS);
  });

  it('parses the command line', () => {
    expect(parseArgs(['--persons', '1_000', '--mandates=2000', '--seed', 'x', '--replace'])).toMatchObject({ persons: 1000, mandates: 2000, seed: 'x', replace: true });
    expect(() => parseArgs(['--mandates', '5'])).toThrow(/usage/);
    expect(() => parseArgs(['--persons', 'many'])).toThrow(/whole number/);
  });
});

describe(`generated population in the database (${DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const f = generatePopulation({ persons: N, seed: 'db', referenceDate: REF });
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let p: Puolesta;

  beforeAll(async () => {
    h = await freshDatabase();
    const sum = await writePopulation(h, { persons: N, seed: 'db', referenceDate: REF, url: DATABASE_URL });
    expect(sum).toMatchObject({ persons: N, mandates: 2 * N, guardianships: f.guardianships.length, organizations: f.organizations.length });
    p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo' }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false, now: () => REFERENCE_NOW });
    await p.indexReady;
    await p.app.ready();
  });
  afterAll(async () => {
    await p?.close();
    await h?.drop();
  });

  const check = async (actor: string, principal: string, issue: string, principalType = 'person') => {
    const r = await p.app.inject({
      method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('245') },
      payload: { actor: { type: 'person', id: actor }, principal: { type: principalType, id: principal }, issue },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { allowed: boolean; basis: string | null; reasonCode?: string };
  };

  it('stores what was generated (and does not seed the demo fixture over it)', async () => {
    const count = async (t: 'persons' | 'mandates' | 'guardianships' | 'organization_roles') =>
      Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('persons')).toBe(N);
    expect(await count('mandates')).toBe(2 * N);
    expect(await count('guardianships')).toBe(f.guardianships.length);
    expect(await count('organization_roles')).toBe(f.organizations.reduce((a, o) => a + o.roles.length, 0));
    const m = f.mandates.find((x) => x.status === 'revoked')!;
    const row = await h.db.selectFrom('mandates').selectAll().where('id', '=', m.key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ principal_id: m.principal, agent_id: m.agent, status: 'revoked', issues: m.issues, valid_until: m.validUntil });
  });

  it('lets a generated guardian act for their child, and not a stranger', async () => {
    const g = f.guardianships[0]!;
    expect(await check(g.guardian, g.child, 'early-childhood-education')).toMatchObject({ allowed: true, basis: 'guardianship' });
    const related = new Set<string>([g.child, ...f.guardianships.filter((x) => x.child === g.child).map((x) => x.guardian)]);
    for (const m of f.mandates) if (m.principal === g.child) related.add(m.agent);
    for (const c of f.courtGuardianships) if (c.ward === g.child) related.add(c.guardian);
    const stranger = f.persons.find((x) => !related.has(x.id) && !isMinor(x.id))!;
    expect(await check(stranger.id, g.child, 'early-childhood-education')).toMatchObject({ allowed: false, reasonCode: 'no-basis' });
    // The same answers from the index directly.
    const q = { issue: 'early-childhood-education', municipality: asMunicipalityCode('245'), date: REF as LocalDate };
    expect((await p.ctx.index.check({ ...q, actor: { type: 'person', id: g.guardian }, principal: { type: 'person', id: g.child } })).allowed).toBe(true);
    expect((await p.ctx.index.check({ ...q, actor: { type: 'person', id: stranger.id }, principal: { type: 'person', id: g.child } })).allowed).toBe(false);
  });

  it('answers mandates by their state, and lists the many principals of a busy agent', async () => {
    const single = (m: GeneratedFixture['mandates'][number]) =>
      m.principalType === 'person' && m.agentType === 'person' && !m.target && !m.municipality && !m.oneOff &&
      f.mandates.filter((x) => x.agent === m.agent && x.principal === m.principal).length === 1 &&
      !f.guardianships.some((g) => g.guardian === m.agent && g.child === m.principal) &&
      !f.courtGuardianships.some((c) => c.guardian === m.agent && c.ward === m.principal);
    const active = f.mandates.find((m) => single(m) && m.status === 'active' && m.validFrom <= REF && m.validUntil >= REF)!;
    expect(await check(active.agent, active.principal, active.issues[0]!)).toMatchObject({ allowed: true, basis: 'mandate' });
    const revoked = f.mandates.find((m) => single(m) && m.status === 'revoked')!;
    expect(await check(revoked.agent, revoked.principal, revoked.issues[0]!)).toMatchObject({ allowed: false, reasonCode: 'revoked' });
    const expired = f.mandates.find((m) => single(m) && m.status === 'active' && m.validUntil < REF)!;
    expect(await check(expired.agent, expired.principal, expired.issues[0]!)).toMatchObject({ allowed: false, reasonCode: 'expired' });

    const agent = f.mandates.find((m) => m.key.startsWith(HEAVY_MANDATE_PREFIX))!.agent;
    const r = await p.app.inject({
      method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('245') },
      payload: { actor: { type: 'person', id: agent }, issue: 'housing' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const principals = (r.json() as { principals: { id: string; basis: string }[] }).principals;
    const heavyPrincipals = new Set(f.mandates.filter((m) => m.key.startsWith(HEAVY_MANDATE_PREFIX)).map((m) => m.principal));
    expect(principals.filter((x) => heavyPrincipals.has(x.id) && x.basis === 'mandate')).toHaveLength(HEAVY_AGENT_PRINCIPALS);
  });
});
