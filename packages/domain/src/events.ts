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

export type DomainEvent =
  | ({ readonly type: 'mandate.granted'; readonly terms: MandateTermsPayload; readonly narrowedTo?: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.grant-awaiting-approval'; readonly terms: MandateTermsPayload; readonly awaiting: 'guardians' | 'second-signatory' } & MandateEventBase)
  | ({ readonly type: 'mandate.requested'; readonly terms: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.approved'; readonly narrowedTo?: MandateTermsPayload } & MandateEventBase)
  | ({ readonly type: 'mandate.rejected' } & MandateEventBase)
  | ({ readonly type: 'mandate.revoked' } & MandateEventBase)
  | ({ readonly type: 'mandate.renounced' } & MandateEventBase)
  | ({ readonly type: 'mandate.registered-from-paper'; readonly terms: MandateTermsPayload; readonly document: { readonly reference: string; readonly signedOn: LocalDate; readonly signedBy: readonly PartyRef[]; readonly notes?: string } } & MandateEventBase)
  | ({ readonly type: 'mandate.used'; readonly errandRef: string; readonly municipality: MunicipalityCode; readonly apiClient: string; readonly consumed: boolean } & MandateEventBase)
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
  // An operator sends a failed or dead-lettered delivery again.
  | { readonly type: 'delivery.retried'; readonly delivery: string; readonly channel: string; readonly municipality: string | null }
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
