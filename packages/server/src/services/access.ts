/**
 * The server's side of the one access module: it loads the facts the rules in
 * `@puolesta/domain` (access.ts) need — in bulk, a constant number of queries for any number of
 * objects — and asks them. Nothing else in the server decides who may do what.
 */
import {
  asMunicipalityCode, effectiveStatus, mandateActions, refusalOf, refuse, standing, STAFF_ROLES,
  type Action, type Actor, type LocalDate, type MandateFacts, type MunicipalityCode, type PersonActor, type PersonFacts, type PersonId, type Signing, type StaffActor, type StaffRole,
} from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { personFacts } from '../repositories/registers.repository.js';
import type { MandateRecord } from '../repositories/mandates.repository.js';

type FactsArg<A extends Action> = Parameters<typeof refusalOf<A>>[2];

/** Throws the rule's refusal (a coded 401/403/404) unless the actor may do the action. */
export function assertAllowed<A extends Action>(action: A, actor: Actor, facts: FactsArg<A>): void {
  const r = refusalOf(action, actor, facts);
  if (r) throw refuse(r.code, r.params ?? {}, r.field);
}

/** Whom the person stands for, from the registers (three queries, whatever is asked later). */
export async function loadPersonFacts(db: Db, id: PersonId): Promise<PersonFacts> {
  const { children, roles, wards } = await personFacts(db, id);
  const organizations = new Map<string, Signing>();
  for (const r of roles) {
    const prev = organizations.get(r.organization_id);
    if (prev !== 'alone') organizations.set(r.organization_id, r.signing === 'none' ? (prev ?? 'none') : r.signing);
  }
  return {
    id,
    children: new Map(children.map((c) => [c.id, c.birth_date as LocalDate])),
    organizations,
    wards: new Map(wards.map((w) => [w.ward_id, { scope: w.scope, validUntil: (w.valid_until as LocalDate | null) ?? null }])),
  };
}

/** A logged-in person with the facts the rules need about them. */
export interface Caller { actor: PersonActor; facts: PersonFacts }

export function mandateFacts(m: MandateRecord, me: PersonFacts, today: LocalDate): MandateFacts {
  return {
    status: effectiveStatus(m, today),
    issues: m.issues,
    principal: standing(me, m.principal, today),
    agent: standing(me, m.agent, today),
    approversDone: m.approversDone,
    registeredIn: registeredIn(m),
  };
}

/**
 * A paper mandate's registering municipality: the caseworker's, recorded as who created it, else
 * (a paper mandate loaded from elsewhere) the municipality it is limited to; null for any other.
 */
export function registeredIn(m: MandateRecord): MunicipalityCode | null {
  if (m.source !== 'paper') return null;
  const by = m.createdBy as { kind?: string; municipality?: string | null };
  const code = by.kind === 'staff' && by.municipality ? by.municipality : m.municipality;
  return code ? asMunicipalityCode(code) : null;
}

/** A staff member's facts about a mandate: on neither side; where it was registered. */
export function staffMandateFacts(m: MandateRecord, today: LocalDate): MandateFacts {
  return { status: effectiveStatus(m, today), issues: m.issues, principal: { kind: 'none' }, agent: { kind: 'none' }, approversDone: m.approversDone, registeredIn: registeredIn(m) };
}

export const mandateActionsFor = (c: Caller, m: MandateRecord, today: LocalDate) => mandateActions(c.actor, mandateFacts(m, c.facts, today));

export function staffActor(row: { key: string; municipality: string | null; roles: string[] }): StaffActor {
  return { kind: 'staff', key: row.key, municipality: row.municipality === null ? null : asMunicipalityCode(row.municipality), roles: row.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)) };
}
