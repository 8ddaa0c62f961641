import type { IssueCode, MandateId, MunicipalityCode, PartyRef, TargetRef } from './ids.js';
import { sameParty } from './ids.js';
import type { LocalDate } from './local-date.js';
import { isMinor, lastDayAsMinor } from './majority.js';
import { effectiveStatus, type Mandate } from './mandate.js';

export type Basis = 'self' | 'mandate' | 'guardianship' | 'court-guardianship' | 'organization-role';
export type Signing = 'alone' | 'jointly' | 'none';

export interface CheckQuery {
  readonly actor: PartyRef;
  readonly principal: PartyRef;
  readonly issue: IssueCode;
  readonly target?: TargetRef | null;
  readonly municipality?: MunicipalityCode | null;
  /** Finnish calendar date the check is about. */
  readonly date: LocalDate;
}

/** Everything known about how this actor relates to this principal. */
export interface Relations {
  /** Mandates with this agent and this principal, in any state. */
  readonly mandates: readonly Mandate[];
  /** Set when the actor is a guardian of the (person) principal: the child's birth date. */
  readonly guardianOfChildBorn?: LocalDate | null;
  /** Court guardianships of the actor over the principal. */
  readonly courtGuardianships: readonly { scope: readonly IssueCode[]; validUntil: LocalDate | null }[];
  /** The actor's roles in the (organisation) principal. */
  readonly organizationRoles: readonly { role: string; signing: Signing }[];
}

export const NO_RELATIONS: Relations = { mandates: [], courtGuardianships: [], organizationRoles: [] };

export type ReasonCode =
  | 'no-basis'
  | 'wrong-issue'
  | 'other-target'
  | 'other-municipality'
  | 'requested'
  | 'rejected'
  | 'revoked'
  | 'renounced'
  | 'consumed'
  | 'expired'
  | 'not-yet-valid'
  | 'guardianship-ended'
  | 'outside-court-scope'
  | 'court-guardianship-ended'
  | 'joint-signing-required'
  | 'no-signing-rights';

export interface Decision {
  readonly allowed: boolean;
  readonly basis: Basis | null;
  readonly mandateId?: MandateId;
  readonly validUntil?: LocalDate;
  readonly oneOff?: boolean;
  readonly reason?: string;
  readonly reasonCode?: ReasonCode;
}


/** Why one mandate does not cover the query, or null when it does. Ordered by how close it came. */
export function mandateMiss(m: Mandate, q: CheckQuery): ReasonCode | null {
  if (!m.issues.includes(q.issue)) return 'wrong-issue';
  if (m.target && (!q.target || q.target.id !== m.target.id)) return 'other-target';
  if (m.municipality && q.municipality !== m.municipality) return 'other-municipality';
  const s = effectiveStatus(m, q.date);
  if (s === 'requested' || s === 'rejected' || s === 'revoked' || s === 'renounced' || s === 'consumed') return s;
  if (m.validUntil < q.date) return 'expired';
  if (m.validFrom > q.date) return 'not-yet-valid';
  return null;
}

const MISS_RANK: Record<ReasonCode, number> = {
  'no-basis': 0,
  'wrong-issue': 1,
  'other-target': 2,
  'other-municipality': 3,
  requested: 4,
  rejected: 4,
  renounced: 4,
  revoked: 4,
  consumed: 4,
  expired: 5,
  'not-yet-valid': 5,
  'guardianship-ended': 6,
  'outside-court-scope': 6,
  'court-guardianship-ended': 6,
  'joint-signing-required': 6,
  'no-signing-rights': 6,
};

function reasonText(code: ReasonCode, m?: Mandate): string {
  switch (code) {
    case 'no-basis': return 'No mandate, guardianship or role lets the actor act for this principal.';
    case 'wrong-issue': return 'The actor has a mandate from this principal, but not for this issue.';
    case 'other-target': return `The mandate covers only property ${m?.target?.id}, not this target.`;
    case 'other-municipality': return `The mandate is limited to municipality ${m?.municipality}.`;
    case 'requested': return 'The mandate has been requested but the principal has not granted it yet.';
    case 'rejected': return 'The principal rejected the mandate request.';
    case 'revoked': return 'The principal has revoked the mandate.';
    case 'renounced': return 'The agent has renounced the mandate.';
    case 'consumed': return 'The mandate was a one-off and has already been used.';
    case 'expired': return `The mandate expired on ${m?.validUntil}.`;
    case 'not-yet-valid': return `The mandate is valid only from ${m?.validFrom}.`;
    case 'guardianship-ended': return 'Guardianship ended when the principal turned 18.';
    case 'outside-court-scope': return "The court's appointment does not cover this issue.";
    case 'court-guardianship-ended': return 'The court guardianship has ended.';
    case 'joint-signing-required': return "The actor's signing rights are joint: two signatories must act together.";
    case 'no-signing-rights': return "The actor's role in the organisation carries no signing rights.";
  }
}

/** Of several mandates that cover the query, the one to use: long-term before one-off, then longest. */
function better(a: Mandate, b: Mandate): Mandate {
  if (a.oneOff !== b.oneOff) return a.oneOff ? b : a;
  return b.validUntil > a.validUntil ? b : a;
}

/**
 * May the actor act for the principal in this issue on this date? One answer for every channel:
 * the vendor API, the citizen portal and the caseworker at a service point.
 */
export function decide(q: CheckQuery, r: Relations): Decision {
  if (sameParty(q.actor, q.principal)) return { allowed: true, basis: 'self' };
  // Hot path (every check): plain loops and locals, no closures allocated per call.
  let missCode: ReasonCode = 'no-basis';
  let missMandate: Mandate | undefined;

  if (r.guardianOfChildBorn) {
    if (isMinor(r.guardianOfChildBorn, q.date)) return { allowed: true, basis: 'guardianship', validUntil: lastDayAsMinor(r.guardianOfChildBorn) };
    missCode = 'guardianship-ended';
  }
  for (const cg of r.courtGuardianships) {
    let code: ReasonCode;
    if (cg.validUntil && cg.validUntil < q.date) code = 'court-guardianship-ended';
    else if (!cg.scope.includes(q.issue)) code = 'outside-court-scope';
    else return { allowed: true, basis: 'court-guardianship', ...(cg.validUntil ? { validUntil: cg.validUntil } : {}) };
    if (MISS_RANK[code] > MISS_RANK[missCode]) missCode = code;
  }
  for (const role of r.organizationRoles) {
    if (role.signing === 'alone') return { allowed: true, basis: 'organization-role' };
    const code: ReasonCode = role.signing === 'jointly' ? 'joint-signing-required' : 'no-signing-rights';
    if (MISS_RANK[code] > MISS_RANK[missCode]) missCode = code;
  }

  let found: Mandate | undefined;
  for (const m of r.mandates) {
    const code = mandateMiss(m, q);
    if (code === null) found = found ? better(found, m) : m;
    else if (MISS_RANK[code] > MISS_RANK[missCode]) {
      missCode = code;
      missMandate = m;
    }
  }
  if (found) {
    return { allowed: true, basis: 'mandate', mandateId: found.id, validUntil: found.validUntil, oneOff: found.oneOff };
  }
  return { allowed: false, basis: null, reason: reasonText(missCode, missMandate), reasonCode: missCode };
}
