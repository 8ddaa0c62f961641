/**
 * A deterministic synthetic population: persons with valid test identity codes (individual numbers
 * 900–999), families with guardians and minor children, court guardianships, organisations with
 * signing roles, co-owned properties and mandates in every state. Same options → same data.
 *
 * `generateBatches` streams the population in batches (1,000,000 persons and 2,000,000 mandates
 * never sit in memory as objects); `generatePopulation` collects a small one into a `Fixture`;
 * `writePopulation` streams one into a database (COPY on PostgreSQL, multi-row inserts on PGlite).
 */
import pg from 'pg';
import { addYears, type LocalDate, type StoredStatus } from '@puolesta/domain';
import type { DatabaseHandle } from '../db/database.js';
import { demoFixture, type Fixture } from './fixture.js';
import { seedRegisters } from './seed.js';

export interface GenerateOptions {
  persons: number;
  seed?: number | string;
  /** Mandates per person on average (default 2): 1,000,000 persons → 2,000,000 mandates. */
  mandatesPerPerson?: number;
  /** The date ages and validity are planned around ('YYYY-MM-DD'). */
  referenceDate: string;
}

export type GeneratedMandate = Fixture['mandates'][number] & {
  principalType: 'person' | 'organization';
  agentType: 'person' | 'organization';
  status: StoredStatus;
  source: 'electronic' | 'paper';
};

/** A generated population in the fixture's shape; mandates carry their state too. */
export interface GeneratedFixture extends Fixture {
  referenceDate: string;
  mandates: GeneratedMandate[];
}

export interface Batch {
  persons: Fixture['persons'];
  guardianships: Fixture['guardianships'];
  courtGuardianships: Fixture['courtGuardianships'];
  organizations: Fixture['organizations'];
  properties: Fixture['properties'];
  mandates: GeneratedMandate[];
}

/** Agents with exactly this many active mandates (for the principals benchmark) get ids prefixed `h`. */
export const HEAVY_AGENT_PRINCIPALS = 50;
export const HEAVY_MANDATE_PREFIX = 'h';

// ---- identity codes and business ids --------------------------------------------------------

const CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
/** Century signs: the traditional one first, then the signs introduced in 2023. */
const SIGNS: Record<number, readonly string[]> = { 1800: ['+'], 1900: ['-', 'Y', 'X', 'W', 'V', 'U'], 2000: ['A', 'B', 'C', 'D', 'E', 'F'] };

export function identityCode(date: string, sign: string, individual: number): string {
  const dd = date.slice(8, 10), mm = date.slice(5, 7), yy = date.slice(2, 4);
  const n = String(individual).padStart(3, '0');
  return `${dd}${mm}${yy}${sign}${n}${CHECK_CHARS[Number(`${dd}${mm}${yy}${n}`) % 31]}`;
}

const BID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2];
/** The business id for a 7-digit number, or null when that number has no valid check digit. */
export function businessId(n: number): string | null {
  const digits = String(n).padStart(7, '0');
  let s = 0;
  for (let i = 0; i < 7; i++) s += Number(digits[i]) * BID_WEIGHTS[i]!;
  const r = s % 11;
  if (r === 1) return null;
  return `${digits}-${r === 0 ? 0 : 11 - r}`;
}

// ---- randomness -------------------------------------------------------------------------------

/** sfc32 seeded through cyrb128: small, fast, and the same everywhere. */
function rng(seed: string): () => number {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0, b = (h2 ^ h1) >>> 0, c = (h3 ^ h1) >>> 0, d = (h4 ^ h1) >>> 0;
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

// ---- names and places -------------------------------------------------------------------------

const MALE = ['Juhani', 'Mikko', 'Timo', 'Matti', 'Kari', 'Antti', 'Jari', 'Jukka', 'Mika', 'Markku', 'Pekka', 'Heikki', 'Janne', 'Ville', 'Lauri', 'Eino', 'Onni', 'Leo', 'Elias', 'Oliver', 'Väinö', 'Aleksi', 'Eetu', 'Niko', 'Tuomas', 'Olli', 'Henrik', 'Johan', 'Erik', 'Anders'];
const FEMALE = ['Maria', 'Helena', 'Anna', 'Johanna', 'Kaarina', 'Marjatta', 'Tuula', 'Aino', 'Sanna', 'Laura', 'Emilia', 'Sofia', 'Aada', 'Ella', 'Olivia', 'Helmi', 'Venla', 'Linnea', 'Saga', 'Noora', 'Veera', 'Petra', 'Ritva', 'Pirjo', 'Elina', 'Katariina', 'Ingrid', 'Astrid', 'Emma', 'Alva'];
const LAST = ['Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen', 'Salonen', 'Turunen', 'Salo', 'Laitinen', 'Tuominen', 'Rantanen', 'Karjalainen', 'Jokinen', 'Mattila', 'Savolainen', 'Lahtinen', 'Ahonen', 'Lindholm', 'Lindqvist', 'Nyström', 'Holmberg', 'Eriksson', 'Johansson', 'Lindroos', 'Grönroos', 'Forsman', 'Sjöberg'];
const STREETS = ['Kartanontie', 'Koulukatu', 'Rantatie', 'Kirkkokatu', 'Myllytie', 'Peltotie', 'Metsätie', 'Asemakatu', 'Byvägen', 'Strandvägen', 'Koivukuja', 'Mäntytie'];
const ORG_WORDS = ['Rakennus', 'Kiinteistö', 'Lämpö', 'Puutyö', 'Kuljetus', 'Tilitoimisto', 'Konsultointi', 'Sähkö', 'Putki', 'Maalaus', 'Puutarha', 'Kahvila'];

// ---- the catalogue and fixed parts --------------------------------------------------------------

/** Municipalities, issues, bundles, staff and API clients: the demo fixture's, so the app works as usual. */
export function fixedParts(referenceDate: string): GeneratedFixture {
  const d = demoFixture();
  return {
    referenceDate,
    municipalities: d.municipalities, issues: d.issues, bundles: d.bundles, staff: d.staff, apiClients: d.apiClients,
    services: d.services, municipalServices: d.municipalServices, overrides: d.overrides,
    persons: [], guardianships: [], courtGuardianships: [], organizations: [], properties: [], mandates: [],
  };
}

const DAY = 86_400_000;
const dayOf = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const DAY_OFFSET = 60_000; // day numbers from about 1805 on index a typed array

/**
 * The population, batch by batch. Every random draw happens in a fixed order, so the data does
 * not depend on the batch size.
 */
export function* generateBatches(opts: GenerateOptions, batchSize = 10_000): Generator<Batch> {
  const N = Math.floor(opts.persons);
  if (!(N >= 1)) throw new RangeError('persons must be at least 1');
  const ref = opts.referenceDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ref)) throw new RangeError('referenceDate must be YYYY-MM-DD');
  const M = Math.round(N * (opts.mandatesPerPerson ?? 2));
  const rand = rng(`puolesta:${opts.seed ?? 1}`);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => rand() < p;

  const fixed = fixedParts(ref);
  const municipalities = fixed.municipalities.map((m) => ({ code: m.code, sv: m.languages.includes('sv') }));
  const issueCodes = fixed.issues.map((i) => i.code);
  const bundles = fixed.bundles;
  const bundle = (code: string) => bundles.find((b) => b.code === code)!;
  const refDay = dayOf(ref);
  const adultLimit = dayOf(addYears(ref as LocalDate, -18)); // born on or before: adult on the reference date
  const ageRange: [number, number][] = [];
  for (let a = 0; a <= 110; a++) {
    const lo = dayOf(addYears(ref as LocalDate, -(a + 1))) + 1;
    const hi = Math.min(dayOf(addYears(ref as LocalDate, -a)), refDay - 1);
    ageRange.push([lo, hi]);
  }

  // What later phases need to know about persons, kept compact.
  const ids: string[] = new Array(N);
  const personMun = new Uint8Array(N);
  const adults: number[] = [];
  const minors: number[] = [];
  const elderlyCandidates: number[] = [];
  const perDay = new Uint16Array(DAY_OFFSET + refDay + 2);
  const ownedProperties: { id: string; owner: number }[] = [];
  let propertyCount = 0;

  let batch: Batch = emptyBatch();
  let size = 0;
  function* flushIf(force = false): Generator<Batch> {
    if (size >= batchSize || (force && size > 0)) {
      yield batch;
      batch = emptyBatch();
      size = 0;
    }
  }

  const propertyId = (mun: string) => {
    const i = propertyCount++;
    return `${mun}-${1 + (i % 999)}-${1 + (Math.floor(i / 999) % 9999)}-${1 + Math.floor(i / (999 * 9999))}`;
  };
  const address = () => `${pick(STREETS)} ${1 + int(60)}`;

  // ---- persons, households, guardianships, court guardianships, home properties ----
  let n = 0;
  const newPerson = (age: number, lastName: string, munIdx: number, sv: boolean): number => {
    const [lo, hi] = ageRange[Math.min(age, 110)]!;
    let day = lo + int(hi - lo + 1);
    const adult = day <= adultLimit;
    while (perDay[day + DAY_OFFSET]! >= 600) day = adult || day + 1 >= refDay ? day - 1 : day + 1;
    const k = perDay[day + DAY_OFFSET]!++;
    const date = dateOf(day);
    const century = Math.floor(+date.slice(0, 4) / 100) * 100;
    const signs = SIGNS[century]!;
    // Most codes use the traditional sign; about a tenth of birth dates start at a 2023 sign.
    const pos = day + DAY_OFFSET;
    const series = (Math.floor(k / 100) + (pos % 10 === 0 ? 1 : 0)) % signs.length;
    const individual = 900 + ((k + (pos % 7) * 13) % 100);
    const id = identityCode(date, signs[series]!, individual);
    const i = n++;
    ids[i] = id;
    personMun[i] = munIdx;
    if (adult) adults.push(i);
    else minors.push(i);
    batch.persons.push({
      id,
      firstName: pick(individual % 2 === 1 ? MALE : FEMALE),
      lastName,
      birthDate: date,
      municipality: municipalities[munIdx]!.code,
      language: sv && chance(0.5) ? 'sv' : 'fi',
    });
    size++;
    return i;
  };

  while (n < N) {
    const munIdx = int(municipalities.length);
    const mun = municipalities[munIdx]!;
    const lastName = pick(LAST);
    const left = N - n;
    const r = rand();
    if (r < 0.34 && left >= 3) {
      // Two guardians and their minor children.
      const a1 = 24 + int(28);
      const a2 = Math.max(20, a1 - 4 + int(9));
      const p1 = newPerson(a1, lastName, munIdx, mun.sv);
      const p2 = newPerson(a2, chance(0.7) ? lastName : pick(LAST), munIdx, mun.sv);
      const kids = Math.min(left - 2, 1 + int(3));
      const maxAge = Math.min(17, Math.min(a1, a2) - 20);
      for (let c = 0; c < kids; c++) {
        const child = newPerson(int(maxAge + 1), lastName, munIdx, mun.sv);
        batch.guardianships.push({ guardian: ids[p1]!, child: ids[child]! }, { guardian: ids[p2]!, child: ids[child]! });
        size += 2;
      }
      if (chance(0.45)) {
        const id = propertyId(mun.code);
        batch.properties.push({ id, municipality: mun.code, address: address(), owners: [{ type: 'person', id: ids[p1]!, share: '1/2' }, { type: 'person', id: ids[p2]!, share: '1/2' }] });
        ownedProperties.push({ id, owner: p1 });
      }
    } else if (r < 0.42 && left >= 2) {
      // One guardian.
      const a = 22 + int(30);
      const p = newPerson(a, lastName, munIdx, mun.sv);
      const kids = Math.min(left - 1, 1 + int(2));
      for (let c = 0; c < kids; c++) {
        const child = newPerson(int(Math.min(17, a - 18) + 1), lastName, munIdx, mun.sv);
        batch.guardianships.push({ guardian: ids[p]!, child: ids[child]! });
        size++;
      }
    } else if (r < 0.66 && left >= 2) {
      // A couple without minor children.
      const a1 = 20 + int(72);
      const p1 = newPerson(a1, lastName, munIdx, mun.sv);
      const p2 = newPerson(Math.max(18, a1 - 5 + int(11)), chance(0.6) ? lastName : pick(LAST), munIdx, mun.sv);
      if (chance(0.5)) {
        const id = propertyId(mun.code);
        batch.properties.push({ id, municipality: mun.code, address: address(), owners: [{ type: 'person', id: ids[p1]!, share: '1/2' }, { type: 'person', id: ids[p2]!, share: '1/2' }] });
        ownedProperties.push({ id, owner: chance(0.5) ? p1 : p2 });
      }
      if (a1 >= 75) elderlyCandidates.push(p1);
    } else {
      // Someone living alone; some of the elderly have a court-appointed guardian.
      const age = chance(0.25) ? 75 + int(21) : 18 + int(60);
      const p = newPerson(age, lastName, munIdx, mun.sv);
      if (chance(0.15)) {
        const id = propertyId(mun.code);
        batch.properties.push({ id, municipality: mun.code, address: address(), owners: [{ type: 'person', id: ids[p]!, share: '1/1' }] });
        ownedProperties.push({ id, owner: p });
      }
      if (age >= 75 && chance(0.12) && adults.length > 10) {
        let g = adults[int(adults.length - 1)]!;
        if (g === p) g = adults[0]!;
        const roll = rand();
        const validUntil = roll < 0.6 ? null : roll < 0.9 ? dateOf(refDay + 30 + int(2000)) : dateOf(refDay - 1 - int(700));
        const scope = chance(0.5) ? bundle('caring-for-a-relative').issues : ['housing', 'financial-support'];
        batch.courtGuardianships.push({ guardian: ids[g]!, ward: ids[p]!, scope, validUntil });
        size++;
      }
    }
    yield* flushIf();
  }
  yield* flushIf(true);

  const adult = () => adults[int(adults.length)]!;

  // ---- organisations with signing roles (housing companies own their property) ----
  const O = Math.max(4, Math.round(N / 40));
  const orgIds: string[] = [];
  const orgMun: number[] = [];
  let bidCounter = 0;
  for (let o = 0; o < O; o++) {
    let id: string | null = null;
    while (!id) id = businessId(1_000_000 + ((bidCounter++ * 7919) % 8_999_999));
    const munIdx = int(municipalities.length);
    const mun = municipalities[munIdx]!.code;
    const roll = rand();
    const used = new Set<number>();
    const someone = () => { let p = adult(); for (let t = 0; t < 5 && used.has(p); t++) p = adult(); used.add(p); return ids[p]!; };
    const roles: Fixture['organizations'][number]['roles'] = [];
    let org: Fixture['organizations'][number];
    if (roll < 0.55) {
      roles.push({ person: someone(), role: 'ceo', signing: 'alone' });
      roles.push({ person: someone(), role: 'board-chair', signing: 'jointly' });
      for (let b = int(3); b > 0; b--) roles.push({ person: someone(), role: 'board-member', signing: chance(0.5) ? 'jointly' : 'none' });
      if (chance(0.3)) roles.push({ person: someone(), role: 'procuration', signing: chance(0.5) ? 'alone' : 'jointly' });
      org = { id, name: `${pick(LAST)} ${pick(ORG_WORDS)} Oy`, form: 'company', municipality: mun, roles };
    } else if (roll < 0.75) {
      roles.push({ person: someone(), role: 'board-chair', signing: 'jointly' });
      roles.push({ person: someone(), role: 'secretary', signing: 'jointly' });
      roles.push({ person: someone(), role: 'board-member', signing: 'none' });
      org = { id, name: `${pick(['Kyläyhdistys', 'Urheiluseura', 'Kuoro', 'Vanhempainyhdistys', 'Eläkeläisyhdistys'])} ${pick(LAST)} ry`, form: 'association', municipality: mun, roles, signingRule: 'two-together' };
    } else if (roll < 0.92) {
      roles.push({ person: someone(), role: 'property-manager', signing: 'alone' });
      roles.push({ person: someone(), role: 'board-chair', signing: 'jointly' });
      roles.push({ person: someone(), role: 'board-member', signing: 'jointly' });
      org = { id, name: `Asunto Oy ${pick(STREETS)} ${1 + int(40)}`, form: 'housing-company', municipality: mun, roles };
      const pid = propertyId(mun);
      batch.properties.push({ id: pid, municipality: mun, address: address(), owners: [{ type: 'organization', id }] });
      size++;
    } else {
      roles.push({ person: someone(), role: 'owner', signing: 'alone' });
      org = { id, name: `Tmi ${pick(ORG_WORDS)} ${pick(LAST)}`, form: 'sole-trader', municipality: mun, roles };
    }
    batch.organizations.push(org);
    orgIds.push(id);
    orgMun.push(munIdx);
    size += 1 + roles.length;
    yield* flushIf();
  }
  yield* flushIf(true);

  // ---- mandates ----
  let seq = 0;
  const mandateId = (prefix: string) => `${prefix}${(seq++).toString(36).padStart(7, '0')}`;
  const pushMandate = (m: GeneratedMandate) => { batch.mandates.push(m); size++; };
  let made = 0;
  // Agents with HEAVY_AGENT_PRINCIPALS active mandates each, from as many principals.
  const heavy = M >= 4 * HEAVY_AGENT_PRINCIPALS && adults.length > 4 * HEAVY_AGENT_PRINCIPALS ? Math.max(1, Math.floor(N / 20_000)) : 0;
  const care = bundle('caring-for-a-relative');
  for (let h = 0; h < heavy; h++) {
    const agent = adult();
    const principals = new Set<number>([agent]);
    while (principals.size <= HEAVY_AGENT_PRINCIPALS) principals.add(adult());
    principals.delete(agent);
    for (const p of principals) {
      pushMandate({
        key: mandateId(HEAVY_MANDATE_PREFIX), principal: ids[p]!, agent: ids[agent]!, principalType: 'person', agentType: 'person',
        bundle: care.code, issues: care.issues, validFrom: dateOf(refDay - 365 - int(365)), validUntil: dateOf(refDay + 365 + int(1500)),
        status: 'active', source: 'electronic',
      });
      made++;
    }
    yield* flushIf();
  }

  const someIssues = (): { issues: string[]; bundle?: string } => {
    if (chance(0.4)) { const b = pick(bundles); return { bundle: b.code, issues: b.issues }; }
    const k = 1 + int(3);
    const out = new Set<string>();
    while (out.size < k) out.add(pick(issueCodes));
    return { issues: [...out] };
  };
  const orgIssues = ['building-control', 'property-matters', 'waste-and-water', 'parking-and-streets', 'employment-services', 'culture-and-leisure'];

  while (made < M) {
    const kind = rand();
    let principal: string, agent: string;
    let principalType: 'person' | 'organization' = 'person', agentType: 'person' | 'organization' = 'person';
    let terms: { issues: string[]; bundle?: string };
    let target: GeneratedMandate['target'];
    let homeMun: number;
    if (kind < 0.70) {
      const p = adult();
      let a = adult();
      if (a === p) a = adult();
      if (a === p) continue;
      principal = ids[p]!; agent = ids[a]!; homeMun = personMun[p]!;
      terms = someIssues();
    } else if (kind < 0.77 && minors.length > 0) {
      const c = minors[int(minors.length)]!;
      principal = ids[c]!; agent = ids[adult()]!; homeMun = personMun[c]!;
      const b = bundle('my-childs-matters');
      terms = { bundle: b.code, issues: b.issues };
    } else if (kind < 0.91) {
      const o = int(orgIds.length);
      principal = orgIds[o]!; principalType = 'organization'; agent = ids[adult()]!; homeMun = orgMun[o]!;
      const k = 1 + int(3);
      const s = new Set<string>();
      while (s.size < k) s.add(pick(orgIssues));
      terms = { issues: [...s] };
    } else if (kind < 0.95) {
      // An organisation (say an accounting or property-management firm) as the agent.
      const o = int(orgIds.length);
      agent = orgIds[o]!; agentType = 'organization';
      if (chance(0.5)) {
        let o2 = int(orgIds.length);
        if (o2 === o) o2 = (o2 + 1) % orgIds.length;
        if (o2 === o) continue;
        principal = orgIds[o2]!; principalType = 'organization'; homeMun = orgMun[o2]!;
      } else {
        const p = adult();
        principal = ids[p]!; homeMun = personMun[p]!;
      }
      terms = { issues: [pick(orgIssues)] };
    } else if (ownedProperties.length > 0) {
      const prop = ownedProperties[int(ownedProperties.length)]!;
      let a = adult();
      if (a === prop.owner) a = adult();
      if (a === prop.owner) continue;
      principal = ids[prop.owner]!; agent = ids[a]!; homeMun = personMun[prop.owner]!;
      const b = bundle('owning-a-property');
      terms = { bundle: b.code, issues: b.issues };
      target = { type: 'property', id: prop.id };
    } else continue;

    // Validity and state.
    const oneOff = chance(0.05);
    let validFrom = refDay - int(3 * 365);
    let validUntil = oneOff ? refDay + 7 + int(90) : refDay + 30 + int(5 * 365);
    let status: StoredStatus = 'active';
    const sr = rand();
    if (sr < 0.07) { validUntil = refDay - 1 - int(365); validFrom = Math.min(validFrom, validUntil - 30 - int(700)); } // expired
    else if (sr < 0.09) { validFrom = refDay + 1 + int(120); validUntil = Math.max(validUntil, validFrom + 30); } // not yet valid
    else if (sr < 0.13) status = 'revoked';
    else if (sr < 0.14) status = 'renounced';
    else if (sr < 0.17) status = 'requested';
    else if (sr < 0.18) status = 'rejected';
    else if (sr < 0.19 && oneOff) status = 'consumed';
    const municipality = chance(0.1) ? municipalities[homeMun]!.code : undefined;
    pushMandate({
      key: mandateId('g'), principal, agent, principalType, agentType,
      ...(terms.bundle ? { bundle: terms.bundle } : {}), issues: terms.issues,
      validFrom: dateOf(validFrom), validUntil: dateOf(validUntil),
      ...(oneOff ? { oneOff: true } : {}),
      ...(target ? { target } : {}),
      ...(municipality ? { municipality } : {}),
      status, source: chance(0.05) ? 'paper' : 'electronic',
    });
    made++;
    yield* flushIf();
  }
  yield* flushIf(true);
}

function emptyBatch(): Batch {
  return { persons: [], guardianships: [], courtGuardianships: [], organizations: [], properties: [], mandates: [] };
}

/** A whole (small) population in the fixture's shape. */
export function generatePopulation(opts: GenerateOptions): GeneratedFixture {
  const f = fixedParts(opts.referenceDate);
  for (const b of generateBatches(opts)) {
    for (const k of ['persons', 'guardianships', 'courtGuardianships', 'organizations', 'properties', 'mandates'] as const) {
      for (const x of b[k]) (f[k] as unknown[]).push(x);
    }
  }
  return f;
}

// ---- writing into a database ----------------------------------------------------------------

type Value = string | number | boolean | null | readonly string[] | Record<string, unknown>;
interface TableRows { table: string; columns: readonly string[]; rows: Value[][] }

const GENERATED_BY = { kind: 'generated' };

/** A batch as table rows, in foreign-key order. */
function tableRows(b: Batch): TableRows[] {
  return [
    { table: 'persons', columns: ['id', 'key', 'first_name', 'last_name', 'birth_date', 'municipality', 'language', 'contact'],
      rows: b.persons.map((p) => [p.id, p.key ?? null, p.firstName, p.lastName, p.birthDate, p.municipality, p.language, p.contact ?? {}]) },
    { table: 'guardianships', columns: ['guardian_id', 'child_id'], rows: b.guardianships.map((g) => [g.guardian, g.child]) },
    { table: 'court_guardianships', columns: ['guardian_id', 'ward_id', 'scope', 'valid_until'],
      rows: b.courtGuardianships.map((c) => [c.guardian, c.ward, c.scope, c.validUntil]) },
    { table: 'organizations', columns: ['id', 'key', 'name', 'form', 'municipality', 'signing_rule'],
      rows: b.organizations.map((o) => [o.id, o.key ?? null, o.name, o.form, o.municipality, o.signingRule ?? null]) },
    { table: 'organization_roles', columns: ['organization_id', 'person_id', 'role', 'signing'],
      rows: b.organizations.flatMap((o) => o.roles.map((r) => [o.id, r.person, r.role, r.signing])) },
    { table: 'properties', columns: ['id', 'key', 'municipality', 'address'], rows: b.properties.map((p) => [p.id, p.key ?? null, p.municipality, p.address ?? null]) },
    { table: 'property_owners', columns: ['property_id', 'owner_type', 'owner_id', 'share'],
      rows: b.properties.flatMap((p) => p.owners.map((o) => [p.id, o.type, o.id, o.share ?? null])) },
    { table: 'mandates', columns: ['id', 'principal_type', 'principal_id', 'agent_type', 'agent_id', 'issues', 'bundle', 'valid_from', 'valid_until', 'status', 'one_off', 'target_type', 'target_id', 'municipality', 'source', 'created_by', 'change_version'],
      rows: b.mandates.map((m) => [m.key, m.principalType, m.principal, m.agentType, m.agent, m.issues, m.bundle ?? null, m.validFrom, m.validUntil, m.status, m.oneOff ?? false,
        m.target?.type ?? null, m.target?.id ?? null, m.municipality ?? null, m.source, GENERATED_BY, 0]) },
  ].filter((t) => t.rows.length > 0);
}

// COPY text format: tab-separated, \N for null, backslash escapes.
const escapeCopy = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);
const arrayLiteral = (xs: readonly string[]) => `{${xs.map((x) => (/^[A-Za-z0-9_-]+$/.test(x) ? x : `"${x.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
function copyValue(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return escapeCopy(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return escapeCopy(arrayLiteral(v as readonly string[]));
  return escapeCopy(JSON.stringify(v));
}

/** `COPY … FROM STDIN` on a pg client without an extra dependency: a minimal submittable. */
function copyIn(client: pg.Client, text: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const submittable = {
      submit(connection: { query(text: string): void }) { connection.query(text); },
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        const buf = Buffer.from(data, 'utf8');
        for (let i = 0; i < buf.length; i += 1 << 16) connection.sendCopyFromChunk(buf.subarray(i, i + (1 << 16)));
        connection.endCopyFrom();
      },
      handleError(e: Error) { failed = true; reject(e); },
      handleReadyForQuery() { if (!failed) resolve(); },
      handleCommandComplete() {}, handleRowDescription() {}, handleDataRow() {}, handleEmptyQuery() {}, handlePortalSuspended() {}, handleCopyData() {},
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}

export interface GenerationSummary {
  persons: number;
  guardianships: number;
  courtGuardianships: number;
  organizations: number;
  organizationRoles: number;
  properties: number;
  mandates: number;
  seconds: number;
}

export interface WriteOptions extends GenerateOptions {
  /** PostgreSQL URL of the handle's server: rows then go in with COPY on a connection of their own. */
  url?: string | undefined;
  onProgress?: (s: GenerationSummary) => void;
}

/** The tables a generated population fills (emptied by `clearPopulation`). */
const DATA_TABLES = ['mandate_uses', 'audit_log', 'mandates', 'property_owners', 'properties', 'organization_roles', 'organizations', 'court_guardianships', 'guardianships', 'sessions', 'persons', 'municipalities', 'issues', 'bundles', 'staff', 'api_clients', 'authz_nodes'];

export async function clearPopulation(h: DatabaseHandle): Promise<void> {
  await h.db.transaction().execute(async (tx) => {
    const { sql } = await import('kysely');
    // CASCADE: rows of tables added since (sessions, rate-limit windows, …) that point at the population go with it.
    await sql.raw(`truncate ${DATA_TABLES.join(', ')} cascade`).execute(tx);
    await sql`update audit_head set seq = 0, hash = repeat('0', 64)`.execute(tx);
    // Processes that indexed the old data must reload: move the version on.
    await sql`update authz_state set version = version + 1`.execute(tx);
  });
}

const POPULATION_TABLES = ['persons', 'guardianships', 'court_guardianships', 'organizations', 'organization_roles', 'properties', 'property_owners', 'mandates'];

/**
 * Drops the keys, foreign keys and indexes of the population's tables (and foreign keys pointing at
 * them) inside the caller's transaction; the returned function adds them back, as they were.
 */
async function dropKeysAndIndexes(client: pg.Client): Promise<() => Promise<void>> {
  const tables = POPULATION_TABLES;
  const { rows: cons } = await client.query<{ tbl: string; name: string; def: string; type: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def, contype as type from pg_constraint
      where connamespace = current_schema()::regnamespace and contype in ('p', 'u', 'f')
        and (conrelid::regclass::text = any($1) or (contype = 'f' and confrelid::regclass::text = any($1)))`, [tables]);
  const { rows: idx } = await client.query<{ def: string; name: string }>(
    `select indexdef as def, indexname as name from pg_indexes i where schemaname = current_schema() and tablename = any($1)
      and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`, [tables]);
  for (const c of cons.filter((x) => x.type === 'f')) await client.query(`alter table ${c.tbl} drop constraint ${c.name}`);
  for (const c of cons.filter((x) => x.type !== 'f')) await client.query(`alter table ${c.tbl} drop constraint ${c.name}`);
  for (const i of idx) await client.query(`drop index ${i.name}`);
  return async () => {
    await client.query(`set local maintenance_work_mem = '512MB'`);
    for (const c of cons.filter((x) => x.type !== 'f')) await client.query(`alter table ${c.tbl} add constraint ${c.name} ${c.def}`);
    for (const c of cons.filter((x) => x.type === 'f')) await client.query(`alter table ${c.tbl} add constraint ${c.name} ${c.def}`);
    for (const i of idx) await client.query(i.def);
  };
}

/** Generates a population straight into an empty database (the catalogue and clients included). */
export async function writePopulation(h: DatabaseHandle, opts: WriteOptions): Promise<GenerationSummary> {
  const started = Date.now();
  const sum: GenerationSummary = { persons: 0, guardianships: 0, courtGuardianships: 0, organizations: 0, organizationRoles: 0, properties: 0, mandates: 0, seconds: 0 };
  const count = (t: TableRows) => {
    const k = ({ persons: 'persons', guardianships: 'guardianships', court_guardianships: 'courtGuardianships', organizations: 'organizations', organization_roles: 'organizationRoles', properties: 'properties', mandates: 'mandates' } as Record<string, keyof GenerationSummary>)[t.table];
    if (k) sum[k] += t.rows.length;
  };
  await seedRegisters(h.db, fixedParts(opts.referenceDate));

  if (h.kind === 'postgres' && opts.url) {
    const client = new pg.Client({ connectionString: opts.url, options: `-c search_path=${h.schema}` });
    await client.connect();
    try {
      await client.query('begin');
      // Into empty tables: keys and indexes are built once at the end (a sort), not row by row (5.6 M persons
      // and 11 M mandates inserted into five B-trees each would spend most of the time in random page updates).
      const rebuild = await dropKeysAndIndexes(client);
      for (const b of generateBatches(opts, 20_000)) {
        for (const t of tableRows(b)) {
          let data = '';
          for (const r of t.rows) data += `${r.map(copyValue).join('\t')}\n`;
          await copyIn(client, `copy ${t.table} (${t.columns.join(', ')}) from stdin`, data);
          count(t);
        }
        opts.onProgress?.({ ...sum, seconds: (Date.now() - started) / 1000 });
      }
      await rebuild();
      await client.query('commit');
      await client.query(`analyze ${DATA_TABLES.filter((t) => t !== 'sessions' && t !== 'authz_nodes').join(', ')}`);
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      await client.end();
    }
  } else {
    await h.db.transaction().execute(async (tx) => {
      for (const b of generateBatches(opts, 5_000)) {
        for (const t of tableRows(b)) {
          const per = Math.max(1, Math.floor(30_000 / t.columns.length));
          for (let i = 0; i < t.rows.length; i += per) {
            const values = t.rows.slice(i, i + per).map((r) => Object.fromEntries(t.columns.map((c, j) => {
              const v = r[j]!;
              return [c, v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v];
            })));
            await tx.insertInto(t.table as 'persons').values(values as never).execute();
          }
          count(t);
        }
        opts.onProgress?.({ ...sum, seconds: (Date.now() - started) / 1000 });
      }
    });
  }
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}
