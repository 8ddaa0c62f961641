import type { IssueCode, MandateId, MunicipalityCode, PartyRef, TargetRef } from './ids.js';
import { sameParty } from './ids.js';
import { addYears, type LocalDate } from './local-date.js';
import { DomainError, refuse } from './errors.js';

/** What is stored. `expired` is never stored: it follows from the date (see effectiveStatus). */
export type StoredStatus = 'requested' | 'active' | 'rejected' | 'revoked' | 'renounced' | 'consumed';
export type MandateStatus = StoredStatus | 'expired';
export const MANDATE_STATUSES: readonly MandateStatus[] = ['requested', 'active', 'rejected', 'revoked', 'renounced', 'expired', 'consumed'];

/** How the mandate came to be. */
export type MandateSource = 'electronic' | 'paper' | 'request';

export interface Mandate {
  readonly id: MandateId;
  readonly principal: PartyRef;
  readonly agent: PartyRef;
  readonly issues: readonly IssueCode[];
  readonly validFrom: LocalDate;
  readonly validUntil: LocalDate;
  readonly status: StoredStatus;
  readonly oneOff: boolean;
  readonly target?: TargetRef | null;
  readonly municipality?: MunicipalityCode | null;
}

/** No mandate runs longer than this. */
export const MAX_MANDATE_YEARS = 25;

export function effectiveStatus(m: Pick<Mandate, 'status' | 'validUntil'>, today: LocalDate): MandateStatus {
  if ((m.status === 'active' || m.status === 'requested') && m.validUntil < today) return 'expired';
  return m.status;
}

export interface MandateTerms {
  issues: readonly IssueCode[];
  validFrom: LocalDate;
  validUntil: LocalDate;
}

export interface TermsContext {
  today: LocalDate;
  knownIssues: ReadonlySet<IssueCode>;
  /** Set when the principal is a minor: the last day before they turn 18, when the guardians' basis ends. */
  principalMinorUntil?: LocalDate | null;
  /** Set when the mandate is limited to a property: does the principal own (a share of) it? */
  targetOwnedByPrincipal?: boolean;
}

/** A refusal as a form shows it beside its field: the same code, params and field a thrown refusal carries. */
export type TermsRefusal = DomainError;

/**
 * Every refusal of the terms, at most one per field, in the order `assertValidTerms` checks them.
 * The form calls this before sending (each field shows its own), the server throws the first.
 */
export function termsRefusals(t: MandateTerms, c: TermsContext): TermsRefusal[] {
  const out: TermsRefusal[] = [];
  const add = (e: DomainError) => {
    const head = (e.field ?? '').split(/[./]/)[0];
    if (!out.some((x) => (x.field ?? '').split(/[./]/)[0] === head)) out.push(e);
  };
  if (t.issues.length === 0) add(refuse('mandate.no-issues', {}, 'issues'));
  for (const [i, issue] of t.issues.entries()) {
    if (!c.knownIssues.has(issue)) add(refuse('mandate.unknown-issue', { issue }, `issues/${i}`));
  }
  if (t.validFrom < c.today) add(refuse('mandate.backdated', { today: c.today }, 'validFrom'));
  if (t.validUntil < t.validFrom) add(refuse('mandate.ends-before-start', {}, 'validUntil'));
  if (t.validUntil < c.today) add(refuse('mandate.ended', {}, 'validUntil'));
  const lastDay = addYears(t.validFrom, MAX_MANDATE_YEARS);
  if (t.validUntil > lastDay) add(refuse('mandate.too-long', { maxYears: MAX_MANDATE_YEARS, lastDay }, 'validUntil'));
  if (c.targetOwnedByPrincipal === false) add(refuse('property.not-principals', {}, 'target.id'));
  if (c.principalMinorUntil && t.validUntil > c.principalMinorUntil) {
    add(refuse('mandate.beyond-majority', { lastDay: c.principalMinorUntil }, 'validUntil'));
  }
  return out;
}

/**
 * The rules every mandate's terms obey, whoever proposes them (grant, request, decision, paper):
 * at least one known issue; not backdated; not ended; at most 25 years; in a minor's matters no
 * further than the day before their 18th birthday. Throws the first of `termsRefusals`.
 */
export function assertValidTerms(t: MandateTerms, c: TermsContext): void {
  const first = termsRefusals(t, c)[0];
  if (first) throw first;
}

/** A principal answering a request may narrow issues and dates, never widen them. */
export function narrowTerms(requested: MandateTerms, decision: Partial<MandateTerms>): MandateTerms {
  const issues = decision.issues ?? requested.issues;
  for (const [i, issue] of issues.entries()) {
    if (!requested.issues.includes(issue)) throw refuse('mandate.not-requested-issue', { issue }, `issues/${i}`);
  }
  if (issues.length === 0) throw refuse('mandate.nothing-granted', {}, 'issues');
  const validFrom = decision.validFrom ?? requested.validFrom;
  const validUntil = decision.validUntil ?? requested.validUntil;
  if (validFrom < requested.validFrom) throw refuse('mandate.widened-start', {}, 'validFrom');
  if (validUntil > requested.validUntil) throw refuse('mandate.widened-end', {}, 'validUntil');
  return { issues: [...new Set(issues)], validFrom, validUntil };
}

/**
 * Whether a granted mandate is less than was asked: issues left out, a later start (than the asked
 * start or today, whichever is later: a request's start that has passed is not the principal's doing)
 * or an earlier end. Decides whether the agent is told "granted, but less than you asked".
 */
export function grantedLessThanAsked(asked: MandateTerms, granted: MandateTerms, today: LocalDate): boolean {
  const earliestStart = asked.validFrom > today ? asked.validFrom : today;
  return asked.issues.some((i) => !granted.issues.includes(i)) || granted.validFrom > earliestStart || granted.validUntil < asked.validUntil;
}

/** Whose errand a service is, as the catalogue says (`subject` of a service class). */
const SUBJECTS_AN_ORGANISATION_CAN_BE = new Set(['organization', 'self-or-organization', 'property']);

/**
 * The matters a mandate may be given in for a principal of this kind: a person in any; an
 * organisation only in matters some service handles for an organisation or a property it owns
 * (no "my child's matters" for a company). From the catalogue's service classes.
 */
export function issuesForPrincipalKind(services: readonly { subject: string; issues: readonly string[] }[], known: readonly IssueCode[], kind: 'person' | 'organization'): IssueCode[] {
  if (kind === 'person') return [...known];
  const fit = new Set(services.filter((s) => SUBJECTS_AN_ORGANISATION_CAN_BE.has(s.subject)).flatMap((s) => s.issues));
  return known.filter((i) => fit.has(i));
}

const label: Record<MandateStatus, string> = {
  requested: 'still a request',
  active: 'active',
  rejected: 'rejected',
  revoked: 'revoked',
  renounced: 'renounced by the agent',
  expired: 'expired',
  consumed: 'already used (one-off)',
};

export function assertStatus(m: Mandate, today: LocalDate, allowed: readonly MandateStatus[], action: string): void {
  const s = effectiveStatus(m, today);
  if (!allowed.includes(s)) throw new DomainError('mandate.wrong-status', { status: s }, undefined, `Cannot ${action}: the mandate is ${label[s]}.`);
}

/** A use in an errand needs a mandate that is active today. */
export function assertUsable(m: Mandate, today: LocalDate): void {
  assertStatus(m, today, ['active'], 'use it');
  if (m.validFrom > today) throw refuse('mandate.not-yet-valid', { validFrom: m.validFrom });
}

/** A use in an errand: by the mandate's agent, in its municipality (if it is limited to one), while it is active. */
export function assertUsableBy(m: Mandate, by: { actor: PartyRef; municipality: MunicipalityCode }, today: LocalDate): void {
  if (!sameParty(m.agent, by.actor)) throw refuse('mandate.not-agent-of-use');
  if (m.municipality && m.municipality !== by.municipality) throw refuse('mandate.other-municipality', { municipality: m.municipality });
  assertUsable(m, today);
}
