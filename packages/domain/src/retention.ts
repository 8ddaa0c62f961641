/**
 * Retention (decision 0017): when the personal data of a closed item (mandate, request, errand) is due for erasure. Pure rules;
 * the daily retention job (packages/server/src/services/retention.service.ts) asks them.
 */
import { addDays, type LocalDate } from './local-date.js';
import { effectiveStatus, type StoredStatus } from './mandate.js';
import { FINAL_STATUSES, type ErrandStatus } from './errands.js';

export interface RetentionPolicy {
  /** Days a request or grant that never took effect (declined, or still pending when it ran out) is kept after it closed. */
  readonly closedRequestDays: number;
  /** Days a mandate that took effect and ended (revoked, renounced, used up, expired) is kept after it ended. */
  readonly endedMandateDays: number;
  /** Days an errand or party request that ended (decided, withdrawn, expired) is kept after it ended. */
  readonly closedErrandDays: number;
  /** Days the answer given to an `Idempotency-Key` is kept (a retry later than that is a new request). */
  readonly idempotencyKeyDays: number;
}

/**
 * One year for requests that never took effect; five years for mandates that did (the principal may still ask who
 * acted for them); one year for errands that ended (the municipality's case management keeps the decided case).
 */
export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({ closedRequestDays: 365, endedMandateDays: 5 * 365, closedErrandDays: 365, idempotencyKeyDays: 30 });

/** What closed: a request that never took effect, a mandate that did and ended, or an errand that ended. */
export type ClosedKind = 'request' | 'mandate' | 'errand';

export interface Closed { readonly kind: ClosedKind; readonly closedOn: LocalDate }

/** A mandate row as far as retention asks: its stored status, last day, and the day of its last change. */
export interface MandateForRetention {
  readonly status: string;
  readonly validUntil: LocalDate;
  /** The Finnish calendar day of the row's last change (the change that closed it, for a closed one). */
  readonly changedOn: LocalDate;
}

/**
 * Whether and when a mandate or request closed, as of `today`: declined (`rejected`) on the day of that
 * change; still `requested` after its last day, the day after it; `revoked`, `renounced` or used up
 * (`consumed`) on the day of that change; `active` after its last day, the day after it. Open ones: null.
 */
export function mandateClosed(m: MandateForRetention, today: LocalDate): Closed | null {
  const stored = m.status as StoredStatus;
  const now = effectiveStatus({ status: stored, validUntil: m.validUntil }, today);
  const tookEffect = stored !== 'requested' && stored !== 'rejected';
  switch (now) {
    case 'rejected': case 'revoked': case 'renounced': case 'consumed': return { kind: tookEffect ? 'mandate' : 'request', closedOn: m.changedOn };
    case 'expired': return { kind: tookEffect ? 'mandate' : 'request', closedOn: addDays(m.validUntil, 1) };
    default: return null;
  }
}

/** Whether and when an errand (or a party request) closed: decided, withdrawn or expired, on the day of that change. */
export function errandClosed(e: { readonly status: string; readonly changedOn: LocalDate }): Closed | null {
  return FINAL_STATUSES.includes(e.status as ErrandStatus) ? { kind: 'errand', closedOn: e.changedOn } : null;
}

export const retentionDays = (kind: ClosedKind, policy: RetentionPolicy): number =>
  kind === 'request' ? policy.closedRequestDays : kind === 'mandate' ? policy.endedMandateDays : policy.closedErrandDays;

/** The first day a closed item's personal data may be erased: `days` whole days after the day it closed. */
export const erasureDueOn = (closed: Closed, policy: RetentionPolicy): LocalDate => addDays(closed.closedOn, retentionDays(closed.kind, policy));

/** Is a closed item's personal data due for erasure on `today`? */
export const erasureDue = (closed: Closed, policy: RetentionPolicy, today: LocalDate): boolean => erasureDueOn(closed, policy) <= today;

/**
 * Items that closed on or before this day may be due (a coarse bound for finding candidates; `erasureDue`
 * decides each one): today less the shorter of the periods.
 */
export const closedOnOrBefore = (policy: RetentionPolicy, today: LocalDate, kinds: readonly ClosedKind[] = ['request', 'mandate', 'errand']): LocalDate =>
  addDays(today, -Math.min(...kinds.map((k) => retentionDays(k, policy))));

/** A policy from configured day counts: whole days, at least one (0 would erase what just closed, before anyone read it). */
export function retentionPolicy(closedRequestDays: number, endedMandateDays: number, closedErrandDays: number = DEFAULT_RETENTION.closedErrandDays, idempotencyKeyDays: number = DEFAULT_RETENTION.idempotencyKeyDays): RetentionPolicy {
  for (const [name, v] of [['closedRequestDays', closedRequestDays], ['endedMandateDays', endedMandateDays], ['closedErrandDays', closedErrandDays], ['idempotencyKeyDays', idempotencyKeyDays]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a whole number of days, at least 1 (got ${v})`);
  }
  return { closedRequestDays, endedMandateDays, closedErrandDays, idempotencyKeyDays };
}
