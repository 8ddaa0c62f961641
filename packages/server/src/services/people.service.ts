/**
 * Whom the grant and request forms offer to choose (issue 10): the people and organisations the
 * registers relate the person to — their children, their parents (guardians), the other guardians
 * of their children, the co-owners of their properties, the organisations they have a role in — and
 * everyone they already have a mandate or request with, in either direction. The registers hold
 * no marriages: a spouse shows as the other guardian of a shared child or as a co-owner of a home.
 */
import { asPersonId, issuesForPrincipalKind, type PartyRef } from '@puolesta/domain';
import { today, type Context } from './context.js';
import type { Caller } from './access.js';
import { childrenOf, coGuardiansOf, coOwnersOf, guardiansOfPerson, partyNames, rolesOfPerson } from '../repositories/registers.repository.js';
import { mandatesOfParties } from '../repositories/mandates.repository.js';
import { serviceClassRows } from '../repositories/catalogue.repository.js';

export type PersonRelation = 'child' | 'parent' | 'co-guardian' | 'co-owner' | 'organization' | 'gave-me-mandate' | 'has-my-mandate';
export const PERSON_RELATIONS: readonly PersonRelation[] = ['child', 'parent', 'co-guardian', 'co-owner', 'organization', 'gave-me-mandate', 'has-my-mandate'];

export interface RelatedParty { type: 'person' | 'organization'; id: string; name: string; relations: PersonRelation[] }

export interface FormContext { today: string; people: RelatedParty[]; issuesFor: { person: string[]; organization: string[] } }

export async function myPeople(ctx: Context, c: Caller): Promise<FormContext> {
  const me = asPersonId(c.actor.id);
  const self: PartyRef = { type: 'person', id: me };
  const [children, parents, coGuardians, coOwners, roles, given, received] = await Promise.all([
    childrenOf(ctx.db, me), guardiansOfPerson(ctx.db, me), coGuardiansOf(ctx.db, me), coOwnersOf(ctx.db, self), rolesOfPerson(ctx.db, me),
    mandatesOfParties(ctx.db, [self], 'principal'), mandatesOfParties(ctx.db, [self], 'agent'),
  ]);
  const found = new Map<string, { party: PartyRef; relations: Set<PersonRelation> }>();
  const add = (party: PartyRef, relation: PersonRelation) => {
    if (party.type === 'person' && party.id === me) return;
    const key = `${party.type}:${party.id}`;
    const entry = found.get(key) ?? { party: { type: party.type, id: party.id }, relations: new Set<PersonRelation>() };
    entry.relations.add(relation);
    found.set(key, entry);
  };
  for (const p of children) add({ type: 'person', id: p.id }, 'child');
  for (const p of parents) add({ type: 'person', id: p.id }, 'parent');
  for (const p of coGuardians) add({ type: 'person', id: p.id }, 'co-guardian');
  for (const o of coOwners) add({ type: o.owner_type, id: o.owner_id }, 'co-owner');
  for (const o of roles) add({ type: 'organization', id: o.id }, 'organization');
  for (const m of given) add(m.agent, 'has-my-mandate');
  for (const m of received) add(m.principal, 'gave-me-mandate');
  const names = await partyNames(ctx.db, [...found.values()].map((e) => e.party));
  const people = [...found.entries()]
    .map(([key, e]) => ({ ...e.party, name: names.get(key) ?? '', relations: PERSON_RELATIONS.filter((r) => e.relations.has(r)) }))
    .filter((p) => p.name !== '')
    // Family first, then the rest; by name within.
    .sort((a, b) => PERSON_RELATIONS.indexOf(a.relations[0]!) - PERSON_RELATIONS.indexOf(b.relations[0]!) || a.name.localeCompare(b.name, 'fi'));
  const services = await serviceClassRows(ctx.db);
  const known = ctx.catalogue.issues.map((i) => i.code);
  return {
    today: today(ctx), people,
    issuesFor: { person: issuesForPrincipalKind(services, known, 'person'), organization: issuesForPrincipalKind(services, known, 'organization') },
  };
}
