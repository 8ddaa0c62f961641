import type { IssueCode, MandateId, MunicipalityCode, PartyRef, TargetRef } from './ids.js';
import { addYears, type LocalDate } from './local-date.js';
import { conflict, invalid } from './errors.js';

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

/** The rules every mandate's terms obey, whoever proposes them. */
export function assertValidTerms(t: MandateTerms, today: LocalDate, knownIssues: ReadonlySet<IssueCode>): void {
  if (t.issues.length === 0) throw invalid('issues', 'Give at least one issue or a bundle.');
  for (const [i, issue] of t.issues.entries()) {
    if (!knownIssues.has(issue)) throw invalid(`issues/${i}`, `Unknown issue "${issue}".`);
  }
  if (t.validUntil < t.validFrom) throw invalid('validUntil', 'validUntil is before validFrom.');
  if (t.validUntil < today) throw invalid('validUntil', 'validUntil is in the past.');
  if (t.validUntil > addYears(t.validFrom, MAX_MANDATE_YEARS)) {
    throw invalid('validUntil', `A mandate may run at most ${MAX_MANDATE_YEARS} years (until ${addYears(t.validFrom, MAX_MANDATE_YEARS)} at the latest).`);
  }
}

/** A principal answering a request may narrow issues and dates, never widen them. */
export function narrowTerms(requested: MandateTerms, decision: Partial<MandateTerms>): MandateTerms {
  const issues = decision.issues ?? requested.issues;
  for (const [i, issue] of issues.entries()) {
    if (!requested.issues.includes(issue)) throw invalid(`issues/${i}`, `"${issue}" was not requested: a decision may only narrow the issues.`);
  }
  if (issues.length === 0) throw invalid('issues', 'Grant at least one issue, or reject the request.');
  const validFrom = decision.validFrom ?? requested.validFrom;
  const validUntil = decision.validUntil ?? requested.validUntil;
  if (validFrom < requested.validFrom) throw invalid('validFrom', 'validFrom may not be earlier than requested.');
  if (validUntil > requested.validUntil) throw invalid('validUntil', 'validUntil may not be later than requested.');
  return { issues: [...new Set(issues)], validFrom, validUntil };
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
  if (!allowed.includes(s)) throw conflict(`Cannot ${action}: the mandate is ${label[s]}.`);
}

/** A use in an errand needs a mandate that is active today. */
export function assertUsable(m: Mandate, today: LocalDate): void {
  assertStatus(m, today, ['active'], 'use it');
  if (m.validFrom > today) throw conflict(`Cannot use it: the mandate is valid only from ${m.validFrom}.`);
}
