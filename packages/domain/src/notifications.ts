/**
 * Who is told what, and how a message finds its way to a person: pure rules over plain data.
 * The server resolves the sides from the registers, reads each person's settings, renders the
 * templates and writes the messages in the command's transaction (the outbox).
 */
import type { DomainEvent, ErrandEvent } from './events.js';

/** The events people are told about; each has a template in fi, sv and en. */
export const NOTIFICATION_EVENTS = [
  'mandate.requested', 'mandate.awaiting-approval', 'mandate.granted', 'mandate.narrowed', 'mandate.rejected',
  'mandate.revoked', 'mandate.renounced', 'mandate.expiring', 'mandate.expired', 'mandate.used',
] as const;

/** The errand messages people are told (each has a template in fi, sv and en). */
export const ERRAND_NOTIFICATION_EVENTS = [
  'errand.sign-requested', 'errand.confirm-requested', 'errand.party-notified', 'errand.declined', 'errand.submitted',
  'errand.information-requested', 'errand.decided', 'errand.processed-for-you', 'errand.withdrawn', 'errand.reminder',
  'errand.expired', 'errand.mandate-rejected',
] as const;
export type ErrandNotificationEvent = (typeof ERRAND_NOTIFICATION_EVENTS)[number];
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** The domain events (and scheduled notices) `recipientsOf` may name someone for; others tell nobody. */
const TELLING_EVENTS = new Set<string>(['errand.parties-asked', 'errand.declined', 'errand.submitted', 'errand.information-requested',
  'errand.decided', 'errand.withdrawn', 'errand.reminded', 'errand.expired', 'errand.mandate-rejected', 'mandate.requested', 'mandate.grant-awaiting-approval', 'mandate.approved', 'mandate.granted', 'mandate.registered-from-paper',
  'mandate.rejected', 'mandate.revoked', 'mandate.renounced', 'mandate.used', 'mandate.expiring', 'mandate.expired']);
export const tellsSomeone = (e: { readonly type: string }): boolean => TELLING_EVENTS.has(e.type);

/** A side of a mandate as the registers resolve it to people who read messages. */
export type NotifiedSide =
  | { readonly kind: 'person'; readonly id: string }
  /** A minor principal or agent: their guardians read for them. */
  | { readonly kind: 'child'; readonly id: string; readonly guardians: readonly string[] }
  /** An organisation: the persons who may sign for it. */
  | { readonly kind: 'organization'; readonly id: string; readonly signatories: readonly string[] };

export type NotifiedRole = 'principal' | 'agent' | 'principal-guardian' | 'agent-guardian' | 'principal-signatory' | 'agent-signatory';

export interface Recipient {
  readonly personId: string;
  readonly role: NotifiedRole;
  readonly event: NotificationEventName;
  /** Sent only if the person asked to hear of every use (settings). */
  readonly onlyIfEveryUse?: boolean;
}

function readers(side: NotifiedSide, as: 'principal' | 'agent'): { personId: string; role: NotifiedRole }[] {
  switch (side.kind) {
    case 'person': return [{ personId: side.id, role: as }];
    case 'child': return side.guardians.map((g) => ({ personId: g, role: `${as}-guardian` as const }));
    case 'organization': return side.signatories.map((s) => ({ personId: s, role: `${as}-signatory` as const }));
  }
}

/**
 * Who is told of a mandate event, with which message: the side the event concerns, never the
 * person who did it (they see it on screen). A person on both sides hears once, as the principal.
 */
export function recipientsOf(
  e: DomainEvent | { readonly type: 'mandate.expiring' | 'mandate.expired' },
  sides: { readonly principal: NotifiedSide; readonly agent: NotifiedSide },
  actorPersonId: string | null,
): Recipient[] {
  const toPrincipal = (event: NotificationEventName, extra: Partial<Recipient> = {}) => readers(sides.principal, 'principal').map((r) => ({ ...r, event, ...extra }));
  const toAgent = (event: NotificationEventName) => readers(sides.agent, 'agent').map((r) => ({ ...r, event }));
  let out: Recipient[];
  switch (e.type) {
    case 'mandate.requested': out = toPrincipal('mandate.requested'); break;
    case 'mandate.grant-awaiting-approval': out = toPrincipal('mandate.awaiting-approval'); break;
    // One guardian (or joint signatory) said yes to a request and it waits for the others: they read who approved it and that it waits for them.
    case 'mandate.approved': out = toPrincipal('mandate.awaiting-approval'); break;
    case 'mandate.granted':
      out = [...toPrincipal('mandate.granted'), ...toAgent('narrowedTo' in e && e.narrowedTo ? 'mandate.narrowed' : 'mandate.granted')];
      break;
    case 'mandate.registered-from-paper': out = [...toPrincipal('mandate.granted'), ...toAgent('mandate.granted')]; break;
    case 'mandate.rejected': out = [...toPrincipal('mandate.rejected'), ...toAgent('mandate.rejected')]; break;
    case 'mandate.revoked': out = [...toPrincipal('mandate.revoked'), ...toAgent('mandate.revoked')]; break;
    case 'mandate.renounced': out = [...toPrincipal('mandate.renounced'), ...toAgent('mandate.renounced')]; break;
    case 'mandate.expiring': out = [...toPrincipal('mandate.expiring'), ...toAgent('mandate.expiring')]; break;
    case 'mandate.expired': out = [...toPrincipal('mandate.expired'), ...toAgent('mandate.expired')]; break;
    // A one-off is always told (it is now used up); any other use only to those who asked.
    case 'mandate.used': out = toPrincipal('mandate.used', e.consumed ? {} : { onlyIfEveryUse: true }); break;
    default: out = [];
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    if (r.personId === actorPersonId || seen.has(r.personId)) return false;
    seen.add(r.personId);
    return true;
  });
}

// ---- errands --------------------------------------------------------------------------------------

/** The people of one errand as the registers resolve them (person references). */
export interface ErrandPeople {
  /** Who started it (null: a vendor's party request). */
  readonly applicant: string | null;
  /** Who reads for the principal the applicant acted for, when that is someone else: the person, a minor's guardians, an organisation's signatories. */
  readonly principalReaders: readonly string[];
  /** Who answers for each party. */
  readonly partyReaders: readonly string[];
}

export interface ErrandRecipient { readonly personId: string; readonly event: ErrandNotificationEvent }

/**
 * Who is told of an errand event, with which message: never the person who did it (they see it on
 * screen), nobody twice. A decision reaches the applicant, every party and the principal; the
 * principal (when someone else acted for them) hears "an errand done on your behalf has been processed".
 */
export function errandRecipientsOf(e: ErrandEvent, people: ErrandPeople, actorPersonId: string | null): ErrandRecipient[] {
  const to = (ids: readonly (string | null)[], event: ErrandNotificationEvent) => ids.filter((id): id is string => !!id).map((personId) => ({ personId, event }));
  let out: ErrandRecipient[];
  switch (e.type) {
    case 'errand.parties-asked':
      out = to(e.persons, e.ask === 'sign' ? 'errand.sign-requested' : e.ask === 'confirm' ? 'errand.confirm-requested' : 'errand.party-notified');
      break;
    case 'errand.reminded': out = to(e.persons, 'errand.reminder'); break;
    case 'errand.declined': out = to([people.applicant], 'errand.declined'); break;
    case 'errand.submitted': out = to([people.applicant], 'errand.submitted'); break;
    case 'errand.information-requested': out = to([people.applicant], 'errand.information-requested'); break;
    case 'errand.mandate-rejected': out = to([people.applicant], 'errand.mandate-rejected'); break;
    case 'errand.decided':
      // The principal's message comes first, so that one who is also a party hears it as the principal.
      out = [...to(people.principalReaders, 'errand.processed-for-you'), ...to([people.applicant, ...people.partyReaders], 'errand.decided')];
      break;
    case 'errand.withdrawn': out = e.wasSent ? to([...people.partyReaders, ...people.principalReaders], 'errand.withdrawn') : []; break;
    case 'errand.expired': out = to([people.applicant, ...people.partyReaders], 'errand.expired'); break;
    default: out = [];
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    if (r.personId === actorPersonId || seen.has(r.personId)) return false;
    seen.add(r.personId);
    return true;
  });
}

// ---- channels ------------------------------------------------------------------------------------

export const CONTACT_CHANNELS = ['suomifi', 'email', 'sms', 'paper'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactSettings {
  readonly preferredChannel: ContactChannel;
  readonly email: string | null;
  readonly phone: string | null;
}

/**
 * The channels a message tries, in order: the person's preferred one (when it has an address), then
 * Suomi.fi Messages, then a paper letter. The in-app inbox always has the message besides.
 */
export function channelChain(c: ContactSettings): ContactChannel[] {
  const usable = (ch: ContactChannel) => (ch === 'email' ? !!c.email : ch === 'sms' ? !!c.phone : true);
  const chain = [c.preferredChannel, 'suomifi', 'paper'].filter((ch): ch is ContactChannel => usable(ch as ContactChannel));
  return [...new Set(chain)];
}

/** Which preferred channel needs which detail (a settings change without it is refused). */
export function missingContactDetail(c: ContactSettings): 'email' | 'phone' | null {
  if (c.preferredChannel === 'email' && !c.email) return 'email';
  if (c.preferredChannel === 'sms' && !c.phone) return 'phone';
  return null;
}

/**
 * How long to wait before try number `attempt + 1` (attempt ≥ 1): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (somewhere in the window's second half) so that many failed messages do not
 * come back at once. `random` in [0, 1).
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const window = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(window / 2 + (window / 2) * random);
}

/** Days before the end of a mandate when both sides are warned. */
export const EXPIRY_WARNING_DAYS = 30;
