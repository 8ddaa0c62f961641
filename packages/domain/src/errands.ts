/**
 * Errands (applications) in municipal services, and what the service's policy asks of the people
 * involved (the seed's situations A, B and C): pure rules over plain data, written once. The server
 * loads the facts (registers, mandates, the errand's rows) and asks these; the UI reads the answers.
 */
import { grantComplete, type GrantingSide } from './approvals.js';
import type { Policy } from './catalogue.js';
import type { PartyRef } from './ids.js';
import { addDays, type LocalDate } from './local-date.js';

export const ERRAND_STATUSES = [
  'draft', 'awaiting-mandate', 'awaiting-signatures', 'awaiting-confirmations', 'submitted', 'returned', 'decided', 'withdrawn', 'declined', 'expired',
] as const;
export type ErrandStatus = (typeof ERRAND_STATUSES)[number];

/** A party's answer as the errand shows it. `attested`: the applicant confirmed the party agrees (situation C, attest). */
export const PARTY_RESPONSES = ['pending', 'signed', 'confirmed', 'declined', 'notified', 'attested'] as const;
export type PartyResponse = (typeof PARTY_RESPONSES)[number];

/** What the service's policy asks of the other parties. */
export type Involvement = 'sign' | 'confirm' | 'notify' | 'attest' | 'none';

export function involvementOf(policy: Policy): Involvement {
  switch (policy.kind) {
    case 'multi-signature': return 'sign';
    case 'alone': return policy.alternative;
    // Acting on a mandate: the others named by the service are told, and see the errand.
    case 'mandate': return 'notify';
    case 'no-need': return 'none';
  }
}

/** Statuses in which nothing more happens. */
export const FINAL_STATUSES: readonly ErrandStatus[] = ['decided', 'withdrawn', 'expired'];
/** Statuses in which the applicant may change the errand's data (a change after a signature voids the signatures). */
export const EDITABLE_STATUSES: readonly ErrandStatus[] = ['draft', 'returned', 'declined', 'awaiting-mandate', 'awaiting-signatures', 'awaiting-confirmations'];
/** Statuses from which the applicant sends (again). */
export const SUBMITTABLE_STATUSES: readonly ErrandStatus[] = ['draft', 'returned', 'declined', 'awaiting-mandate'];
/** Statuses that wait for the parties' answers. */
export const AWAITING_PARTIES: readonly ErrandStatus[] = ['awaiting-signatures', 'awaiting-confirmations'];

/**
 * The mandate an errand asks for when the applicant has no basis (situation A): the service's issues,
 * from today, for the service's recommended kind — a one-off for 90 days, or a long-term one for a year —
 * and in a minor's matters no further than the day before they turn 18.
 */
export function recommendedMandateTerms(o: { issues: readonly string[]; recommended: 'one-off' | 'long-term' | undefined; today: LocalDate; minorUntil: LocalDate | null }) {
  const oneOff = o.recommended === 'one-off';
  let validUntil = addDays(o.today, oneOff ? 90 : 365);
  if (o.minorUntil && o.minorUntil < validUntil) validUntil = o.minorUntil;
  return { issues: [...o.issues], validFrom: o.today, validUntil, oneOff };
}

/** How long the parties have to sign or confirm, unless the service says otherwise. */
export const DEFAULT_RESPONSE_DAYS = 14;
/** Days before the deadline when those who have not answered are reminded. */
export const REMINDER_DAYS_BEFORE = 3;

export const responseDeadline = (from: LocalDate, days = DEFAULT_RESPONSE_DAYS): LocalDate => addDays(from, days);

// ---- party requests (a vendor's e-service asks the register's parties) ------------------------------

/** The latest deadline an e-service may give its party request, in days from today. */
export const PARTY_REQUEST_MAX_DAYS = 90;

/** A deadline an e-service gives: from tomorrow up to PARTY_REQUEST_MAX_DAYS ahead. */
export const partyRequestDeadlineOk = (deadline: LocalDate, today: LocalDate): boolean =>
  deadline > today && deadline <= addDays(today, PARTY_REQUEST_MAX_DAYS);

/** What a party request asks: the service's signatures or confirmations; anything else is asked as a consent (confirm). */
export const partyRequestInvolvement = (serviceInvolvement: Involvement): 'sign' | 'confirm' => (serviceInvolvement === 'sign' ? 'sign' : 'confirm');

/**
 * A party to an errand and who may answer for it: a person answers for themselves; an organisation by
 * its signing rule (one who signs alone, or two together); the applicant's own basis (self, a mandate,
 * guardianship) answers for the party they act for.
 */
export interface ErrandPartyFacts {
  readonly ref: PartyRef;
  /** Who must say yes for this party (the approvals rule: a person, a minor's guardians, an organisation's signatories). */
  readonly side: GrantingSide;
  /** Persons who have signed or confirmed for this party, on the errand's current version. */
  readonly answeredBy: readonly string[];
  /** The applicant answers for this party (they are it, or act for it on a basis): their sending is the answer. */
  readonly representedByApplicant: boolean;
  readonly declined: boolean;
}

/** Has this party given its answer on the current version? */
export function partyAnswered(p: ErrandPartyFacts): boolean {
  if (p.representedByApplicant) return true;
  if (p.side.kind === 'person') return p.answeredBy.includes(p.ref.id);
  return grantComplete(p.side, p.answeredBy);
}

/** May this person answer (sign, confirm, decline) for this party? */
export function mayAnswerFor(p: ErrandPartyFacts, personId: string): boolean {
  switch (p.side.kind) {
    case 'person': return p.ref.type === 'person' && p.ref.id === personId;
    case 'child': return p.side.guardians.includes(personId);
    case 'organization': { const s = p.side.signing.get(personId); return s === 'alone' || s === 'jointly'; }
  }
}

/** Who is asked to answer for the party: the person, every guardian of a minor, an organisation's signatories. */
export function answerersOf(p: Pick<ErrandPartyFacts, 'ref' | 'side'>): string[] {
  switch (p.side.kind) {
    case 'person': return p.ref.type === 'person' ? [p.ref.id] : [];
    case 'child': return [...p.side.guardians];
    case 'organization': return [...p.side.signing].filter(([, s]) => s === 'alone' || s === 'jointly').map(([id]) => id);
  }
}

/** The response the errand shows for a party. */
export function responseOf(p: ErrandPartyFacts, involvement: Involvement, status: ErrandStatus): PartyResponse {
  if (p.declined) return 'declined';
  switch (involvement) {
    case 'sign': return partyAnswered(p) ? 'signed' : 'pending';
    case 'confirm': return partyAnswered(p) ? 'confirmed' : 'pending';
    case 'attest': return status === 'draft' ? 'pending' : 'attested';
    case 'notify': case 'none': return status === 'draft' ? 'pending' : 'notified';
  }
}

/**
 * Where an errand goes when it is sent (or when the mandate it waited for is granted): without a basis
 * for acting it waits for the mandate (situation A); with parties to sign or confirm it waits for them
 * (B, C confirm); otherwise it goes to processing.
 */
export function statusOnSending(o: { hasBasis: boolean; involvement: Involvement; parties: readonly ErrandPartyFacts[] }): ErrandStatus {
  if (!o.hasBasis) return 'awaiting-mandate';
  return statusAfterAnswer(o.involvement, o.parties);
}

/** After an answer (or on sending): still waiting for the parties, or on to processing, or back to the applicant on a decline. */
export function statusAfterAnswer(involvement: Involvement, parties: readonly ErrandPartyFacts[]): ErrandStatus {
  if (involvement !== 'sign' && involvement !== 'confirm') return 'submitted';
  if (parties.some((p) => p.declined)) return 'declined';
  if (parties.every(partyAnswered)) return 'submitted';
  return involvement === 'sign' ? 'awaiting-signatures' : 'awaiting-confirmations';
}

/** The answer a party gives: `sign` in a multi-signature errand, `confirm` in one the parties confirm. */
export const answerFor = (involvement: Involvement): 'sign' | 'confirm' | null => (involvement === 'sign' ? 'sign' : involvement === 'confirm' ? 'confirm' : null);

// ---- what someone may do with an errand (the access module's facts) -------------------------------

/** What the access rules need to know about one errand and the asking person's (or staff member's) relation to it. */
export interface ErrandFacts {
  /** `party-request`: an e-service's request; nobody applies, and complete (`submitted`) is the end of it. */
  readonly kind: 'errand' | 'party-request';
  readonly status: ErrandStatus;
  readonly municipality: string;
  readonly involvement: Involvement;
  /** The caller started the errand. */
  readonly applicant: boolean;
  /** The caller is the principal the applicant acted for, or decides for it (a guardian, a signatory). */
  readonly principalSide: boolean;
  /** The caller may answer for a party (is one, or signs for one). */
  readonly party: boolean;
  /** The caller may answer for a party that has not answered yet on the current version. */
  readonly answerPending: boolean;
}

/** Can anyone see this errand (or is it the same 404 as a missing one)? */
export const seesErrand = (f: Pick<ErrandFacts, 'applicant' | 'principalSide' | 'party' | 'status'>): boolean =>
  f.applicant || ((f.principalSide || f.party) && f.status !== 'draft');

/** The sentence the list of "my errands" shows: what is expected of me now. */
export type Expected = 'complete-and-send' | 'sign' | 'confirm' | 'answer-information-request' | 'wait-for-mandate' | 'wait-for-parties' | 'wait-for-decision' | 'read-decision' | 'nothing';

export function expectedOf(f: ErrandFacts): Expected {
  if (f.answerPending && AWAITING_PARTIES.includes(f.status)) return f.involvement === 'sign' ? 'sign' : 'confirm';
  // A party request has no decision: once complete, the e-service goes on with it.
  if (f.kind === 'party-request') return 'nothing';
  if (f.applicant) {
    switch (f.status) {
      case 'draft': case 'declined': return 'complete-and-send';
      case 'returned': return 'answer-information-request';
      case 'awaiting-mandate': return 'wait-for-mandate';
      case 'awaiting-signatures': case 'awaiting-confirmations': return 'wait-for-parties';
      case 'submitted': return 'wait-for-decision';
      case 'decided': return 'read-decision';
      default: return 'nothing';
    }
  }
  if (f.status === 'decided') return 'read-decision';
  if (f.status === 'submitted') return 'wait-for-decision';
  return 'nothing';
}

// chrome (issue 10): the navigation's pending count.
/** What an errand expects of me that someone else waits for: my signature or confirmation, or my answer to the caseworker's question. */
export const WAITING_FOR_ME: readonly Expected[] = ['sign', 'confirm', 'answer-information-request'];
export const waitsForMe = (e: Expected): boolean => WAITING_FOR_ME.includes(e);

/** Within REMINDER_DAYS_BEFORE of the deadline (and not past it): those who have not answered are reminded once. */
export const reminderDue = (deadline: LocalDate, today: LocalDate): boolean => deadline >= today && deadline <= addDays(today, REMINDER_DAYS_BEFORE);
/** The deadline has passed (the last day to answer is the deadline itself). */
export const deadlinePassed = (deadline: LocalDate, today: LocalDate): boolean => today > deadline;
