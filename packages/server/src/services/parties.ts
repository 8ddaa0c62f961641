import { asMunicipalityCode, asOrganizationId, asPersonId, isBusinessId, isPersonalIdentityCode, isPropertyId, personIsMinor, refuse, type GrantingSide, type MunicipalityCode, type PartyRef, type Signing } from '@puolesta/domain';
import type { Context } from './context.js';
import { today } from './context.js';
import { LRUCache } from 'lru-cache';
import { guardiansOf, partyNames, propertyExists, signatoriesOf } from '../repositories/registers.repository.js';

/** Checks an incoming party reference's form. Never echoes the id back in the message. */
export function parseParty(field: string, p: { type: string; id: string }): PartyRef {
  if (p.type === 'person') {
    if (!isPersonalIdentityCode(p.id)) throw refuse('party.invalid-identity-code', { field: `${field}.id` }, `${field}.id`);
    return { type: 'person', id: p.id };
  }
  if (p.type === 'organization') {
    if (!isBusinessId(p.id)) throw refuse('party.invalid-business-id', { field: `${field}.id` }, `${field}.id`);
    return { type: 'organization', id: p.id };
  }
  throw refuse('party.invalid-type', { field: `${field}.type` }, `${field}.type`);
}

/** A party the registers know (404 `party.unknown` otherwise): at once while the index is fresh, else a promise. */
export function requireKnownParty(ctx: Context, field: string, raw: { type: string; id: string }): PartyRef | Promise<PartyRef> {
  const p = parseParty(field, raw);
  const known = ctx.index.exists(p);
  if (known === true) return p;
  if (known === false) throw unknownParty(p, field);
  return known.then((k) => { if (!k) throw unknownParty(p, field); return p; });
}

const unknownParty = (p: PartyRef, field: string) => refuse('party.unknown', { partyType: p.type, field }, `${field}.id`);

export async function requireProperty(ctx: Context, field: string, raw: { type: string; id: string }) {
  if (raw.type !== 'property') throw refuse('property.invalid-type', { field: `${field}.type` }, `${field}.type`);
  if (!isPropertyId(raw.id)) throw refuse('property.invalid-id', { field: `${field}.id` }, `${field}.id`);
  if (!(await propertyExists(ctx.db, raw.id))) throw refuse('property.unknown', { field }, `${field}.id`);
  return { type: 'property' as const, id: raw.id };
}

export function requireMunicipality(ctx: Context, field: string, code: string): MunicipalityCode {
  if (!ctx.catalogue.municipalities.has(code)) throw refuse('municipality.unknown', { field }, field);
  return asMunicipalityCode(code);
}

/** Who must say yes for this principal, from the registers (the rule itself is the domain's `grantComplete`). */
export async function grantingSide(ctx: Pick<Context, 'db' | 'now'>, principal: PartyRef): Promise<GrantingSide> {
  if (principal.type === 'organization') {
    const roles = await signatoriesOf(ctx.db, asOrganizationId(principal.id));
    const signing = new Map<string, Signing>();
    for (const r of roles) {
      const prev = signing.get(r.person_id);
      if (prev !== 'alone') signing.set(r.person_id, r.signing === 'none' ? (prev ?? 'none') : r.signing);
    }
    return { kind: 'organization', signing };
  }
  if (personIsMinor(principal.id, today(ctx))) {
    const guardians = await guardiansOf(ctx.db, asPersonId(principal.id));
    if (guardians.length > 0) return { kind: 'child', guardians };
  }
  return { kind: 'person' };
}

/** The display names a process keeps: at most this many, each for this long. */
export const NAME_CACHE = { max: 100_000, ttlMs: 5 * 60_000 };
export type NameCache = LRUCache<string, string>;

/**
 * A process's cache of display names, on the context's clock. A name is shown, never decided on, and
 * the registers' names change seldom: a list read again within minutes (an agent's principals, at
 * each e-service's login) needs no database round trip; a name changed in the register shows within
 * `ttlMs` (decision 0018, principals).
 */
export function nameCache(now: () => Date): NameCache {
  return new LRUCache<string, string>({ max: NAME_CACHE.max, ttl: NAME_CACHE.ttlMs, perf: { now: () => now().getTime() } });
}

const nameKey = (p: PartyRef) => `${p.type}:${p.id}`;

/**
 * Display names of parties (persons "First Last", organisations by name), read from the registers in
 * one batch — or, for those read lately, from the context's name cache: the authorization index keeps
 * no names (decision 0019). A party without a row gets ''.
 */
export async function namesOf(ctx: Context, parties: readonly PartyRef[]): Promise<string[]> {
  const cache = ctx.names;
  const out = parties.map((p) => cache?.get(nameKey(p)));
  const missing = parties.filter((_, i) => out[i] === undefined);
  if (missing.length === 0) return out as string[];
  const read = await partyNames(ctx.db, missing);
  return parties.map((p, i) => {
    const known = out[i];
    if (known !== undefined) return known;
    const key = nameKey(p);
    const name = read.get(key);
    if (name === undefined) return '';
    cache?.set(key, name);
    return name;
  });
}
