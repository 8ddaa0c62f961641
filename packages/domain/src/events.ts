/**
 * Domain events: what happened, as a typed union of kinds with their payloads. Each command writes
 * its events in the same transaction as the change and its audit entry (the unit of work); the
 * notification outbox reads exactly these. Payloads name parties by reference, never by name.
 */
import type { IssueCode, MunicipalityCode, PartyRef } from './ids.js';
import type { LocalDate } from './local-date.js';

export interface MandateTermsPayload {
  readonly issues: readonly IssueCode[];
  readonly validFrom: LocalDate;
  readonly validUntil: LocalDate;
  readonly oneOff: boolean;
  readonly target?: { readonly type: 'property'; readonly id: string } | undefined;
  readonly municipality?: MunicipalityCode | undefined;
}

interface MandateEventBase {
  readonly mandateId: string;
  readonly principal: PartyRef;
  readonly agent: PartyRef;
}

/** What every errand event carries: which errand, where, in which service. */
interface ErrandEventBase {
  readonly errandId: string;
  readonly municipality: string;
  readonly service: string;
}

/** What a party is asked to do: sign (B), confirm (C confirm), or only to know (C notify). */
export type PartyAsk = 'sign' | 'confirm' | 'notify';

/** Errand events (issue 9). Persons are named by reference; the messages name them by name. */
export type ErrandEvent =
  | ({ readonly type: 'errand.created'; readonly kind: 'errand' | 'party-request' } & ErrandEventBase)
  | ({ readonly type: 'errand.edited'; readonly version: number; readonly signaturesVoided: boolean } & ErrandEventBase)
  | ({ readonly type: 'errand.sent'; readonly status: string; readonly version: number; readonly hash: string; readonly attested: boolean } & ErrandEventBase)
  | ({ readonly type: 'errand.awaiting-mandate'; readonly mandateId: string } & ErrandEventBase)
  | ({ readonly type: 'errand.mandate-rejected'; readonly mandateRequest: string } & ErrandEventBase)
  | ({ readonly type: 'errand.parties-asked'; readonly persons: readonly string[]; readonly ask: PartyAsk; readonly again: boolean; readonly deadline: LocalDate | null } & ErrandEventBase)
  | ({ readonly type: 'errand.answered'; readonly person: string; readonly party: PartyRef; readonly answer: 'sign' | 'confirm'; readonly version: number; readonly hash: string } & ErrandEventBase)
  | ({ readonly type: 'errand.declined'; readonly person: string; readonly party: PartyRef; readonly reason: string } & ErrandEventBase)
  | ({ readonly type: 'errand.submitted' } & ErrandEventBase)
  | ({ readonly type: 'errand.information-requested'; readonly text: string } & ErrandEventBase)
  | ({ readonly type: 'errand.information-provided' } & ErrandEventBase)
  | ({ readonly type: 'errand.decided'; readonly outcome: 'approved' | 'rejected' } & ErrandEventBase)
  | ({ readonly type: 'errand.withdrawn'; readonly wasSent: boolean } & ErrandEventBase)
  | ({ readonly type: 'errand.reminded'; readonly persons: readonly string[]; readonly deadline: LocalDate } & ErrandEventBase)
  | ({ readonly type: 'errand.expired' } & ErrandEventBase)
  // Adding or removing an attachment changes the errand like an edit: a new version, standing signatures void.
  | ({ readonly type: 'errand.attachment-added'; readonly attachment: string; readonly name: string; readonly sha256: string; readonly version: number; readonly signaturesVoided: boolean } & ErrandEventBase)
  | ({ readonly type: 'errand.attachment-removed'; readonly attachment: string; readonly version: number; readonly signaturesVoided: boolean } & ErrandEventBase);

export type DomainEvent =
  | ErrandEvent
  | ({ readonly type: 'mandate.granted'; readonly terms: MandateTermsPayload; readonly narrowedTo?: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.grant-awaiting-approval'; readonly terms: MandateTermsPayload; readonly awaiting: 'guardians' | 'second-signatory' } & MandateEventBase)
  | ({ readonly type: 'mandate.requested'; readonly terms: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.approved'; readonly narrowedTo?: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.rejected' } & MandateEventBase)
  // A caseworker revokes a paper-registered mandate on the principal's written request: the request is recorded.
  | ({ readonly type: 'mandate.revoked'; readonly writtenRequest?: { readonly receivedOn: LocalDate; readonly reference?: string } } & MandateEventBase)
  | ({ readonly type: 'mandate.renounced' } & MandateEventBase)
  | ({ readonly type: 'mandate.registered-from-paper'; readonly terms: MandateTermsPayload; readonly document: { readonly reference: string; readonly signedOn: LocalDate; readonly signedBy: readonly PartyRef[]; readonly notes?: string } } & MandateEventBase)
  | ({ readonly type: 'mandate.used'; readonly errandRef: string; readonly municipality: MunicipalityCode; readonly apiClient: string; readonly consumed: boolean; /** The catalogue's service the errand was in (when the e-service says). */ readonly service?: string } & MandateEventBase)
  | { readonly type: 'catalogue.class-saved'; readonly service: string; readonly version: number }
  | { readonly type: 'catalogue.issue-saved'; readonly issue: string; readonly version: number }
  | { readonly type: 'catalogue.bundle-saved'; readonly bundle: string; readonly version: number }
  | { readonly type: 'municipal-service.saved'; readonly municipality: MunicipalityCode; readonly service: string }
  | { readonly type: 'municipal-service.removed'; readonly municipality: MunicipalityCode; readonly service: string }
  | { readonly type: 'municipal-policy.set'; readonly municipality: MunicipalityCode; readonly service: string; readonly policy: { readonly kind: string; readonly alternative?: string } }
  | { readonly type: 'ptv.imported'; readonly municipality: MunicipalityCode; readonly created: number; readonly updated: number; readonly unchanged: number }
  | { readonly type: 'ptv.linked'; readonly municipality: MunicipalityCode; readonly ptvId: string; readonly service: string }
  // A person's own contact settings (channel, e-mail, phone, language).
  | { readonly type: 'person.contact-settings-changed'; readonly person: string; readonly preferredChannel: string; readonly language: string }
  // A caseworker looked up the mandates of one person or organisation (the per-person view), for the reason given.
  | { readonly type: 'staff.person-mandates-viewed'; readonly party: PartyRef; readonly reason: string; readonly municipality: MunicipalityCode }
  // An operator sends a failed or dead-lettered delivery again.
  | { readonly type: 'delivery.retried'; readonly delivery: string; readonly channel: string; readonly municipality: string | null }
  // Retention erased the personal data of mandates, requests and errands closed long enough ago (decision 0017): ids and counts only.
  | { readonly type: 'retention.erased'; readonly mandates: readonly string[]; readonly errands: readonly string[]; readonly auditEntries: readonly number[]; readonly uses: number; readonly attachments: number; readonly messages: number; readonly events: number }
  // The registers' feed (population register, trade register, court guardianships).
  | { readonly type: 'register.guardianship-recorded'; readonly guardian: string; readonly child: string }
  | { readonly type: 'register.guardianship-ended'; readonly guardian: string; readonly child: string }
  | { readonly type: 'register.court-guardianship-recorded'; readonly guardian: string; readonly ward: string; readonly scope: readonly string[]; readonly validUntil: string | null }
  | { readonly type: 'register.court-guardianship-ended'; readonly guardian: string; readonly ward: string }
  | { readonly type: 'register.organization-role-set'; readonly organization: string; readonly person: string; readonly role: string; readonly signing: string }
  | { readonly type: 'register.organization-role-removed'; readonly organization: string; readonly person: string; readonly role: string };

export type DomainEventType = DomainEvent['type'];

/** The usage log's event names (what the principal reads), from the domain event. */
export function logEventName(e: DomainEvent): string {
  if (e.type === 'mandate.used') return e.consumed ? 'used-and-consumed' : 'used';
  const i = e.type.indexOf('.');
  return e.type.startsWith('mandate.') ? e.type.slice(i + 1) : e.type;
}

/** Does the event change who may act for whom (so every process's index must see it before the command returns)? */
export const changesAuthorization = (e: DomainEvent): boolean => e.type.startsWith('mandate.') || e.type.startsWith('register.');
