/**
 * The notification machinery's shared shapes: what a template renders, what a channel adapter
 * delivers, and what a channel answers. Every external channel (e-mail, Suomi.fi Messages, SMS,
 * paper) is one `ChannelAdapter`; the worker knows nothing else about it (decision 0010).
 */

import type { ContactChannel, NotificationEventName, NotifiedRole } from '@puolesta/domain';
import { CONTACT_CHANNELS } from '@puolesta/domain';

export type Language = 'fi' | 'sv' | 'en';
export const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];

/** External channels (the domain's contact channels); the inbox is not one of them (every message is in the inbox). */
export type ChannelName = ContactChannel;
export const CHANNELS: readonly ChannelName[] = CONTACT_CHANNELS;

/** The notification events people are told about (the domain's list: mandate events now; errands add theirs). */
export type NotificationEvent = NotificationEventName;

/**
 * Who the recipient is in this mandate, which decides how the message speaks to them:
 * - `principal`: the mandate is about the recipient's own matters;
 * - `agent`: the recipient is the one who may act;
 * - `principal-guardian` / `agent-guardian`: the recipient is a guardian of the (minor) principal / agent;
 * - `principal-signatory` / `agent-signatory`: the recipient signs for the organisation that is the principal / agent.
 */
export type RecipientRole = NotifiedRole;

/** Everything a template may say. Names only, never identity codes or business ids. */
export interface TemplateInput {
  event: NotificationEvent;
  language: Language;
  role: RecipientRole;
  recipientName: string;
  principal: { name: string; kind: 'person' | 'organization' };
  agent: { name: string; kind: 'person' | 'organization' };
  /** Who did it, when it is someone else than the principal / agent themselves (a co-guardian, a caseworker's municipality, an e-service). */
  actorName?: string;
  /** Issue names in the recipient's language. */
  issues: string[];
  validFrom: string; // YYYY-MM-DD
  validUntil: string; // YYYY-MM-DD
  oneOff: boolean;
  /** A mandate limited to one property: its address (or, lacking one, its property id, which is not personal). */
  property?: string;
  /** mandate.narrowed: what the principal left out of the request. */
  leftOut?: { issues: string[]; validFrom?: { asked: string; granted: string }; validUntil?: { asked: string; granted: string } };
  /** mandate.used: the errand and where. */
  use?: { errandRef: string; municipalityName: string; consumed: boolean };
  /** An absolute link to the mandate in the portal. */
  link: string;
}

export interface RenderedMessage {
  subject: string;
  /** Plain text (inbox, e-mail text part, Suomi.fi Messages body, paper letter). */
  text: string;
  /** HTML (e-mail's HTML part): the same content, escaped. */
  html: string;
  /** One short line for SMS (≤ 160 characters, with the link). */
  sms: string;
}

/** One message as a channel delivers it. */
export interface OutgoingMessage {
  /** Stable per message and channel: the channel de-duplicates on it (Message-ID, externalId, userref, job id). */
  idempotencyKey: string;
  language: Language;
  subject: string;
  text: string;
  html: string;
  sms: string;
  link: string;
  recipient: {
    /** Identity code: only Suomi.fi Messages gets it (its `recipient.id`); never logged. */
    personId: string;
    name: string;
    email: string | null;
    phone: string | null;
    municipality: string | null;
    municipalityName: string | null;
  };
  /** The municipality whose print service / sender a channel uses. */
  senderMunicipality: string | null;
  /** When it is sent (the worker's clock): the date printed on a letter. */
  sentAt?: Date;
}

export type DeliveryResult =
  /** Accepted by the channel; `providerId` is the channel's own id (Message-ID, messageId, SMS id, print job id). */
  | { status: 'delivered'; providerId: string }
  /** This channel cannot reach the person (no address, no mailbox, rejected recipient): fall back to the next channel. */
  | { status: 'unavailable'; reason: string }
  /** A passing fault (connection refused, 5xx, timeout): try the same channel again later. */
  | { status: 'retry'; reason: string };

export interface ChannelAdapter {
  readonly channel: ChannelName;
  deliver(m: OutgoingMessage): Promise<DeliveryResult>;
  close?(): Promise<void>;
}

/** What a simulator received, as the demo outbox page lists it. */
export interface SimulatedDelivery {
  channel: ChannelName;
  /** E-mail address, phone number, or the recipient's name (Suomi.fi, paper): never an identity code. */
  to: string;
  subject: string;
  language: string;
  at: string; // ISO timestamp
  /** The channel's id for it (Message-ID, messageId, SMS id, print job id). */
  messageId: string;
  /** The idempotency key it was sent with (duplicates share it). */
  key: string;
}

/** How messages are written: where the portal is (links), and how many tries a delivery gets. */
export interface NotifySettings {
  /** The portal's public address, for links in messages (no trailing slash). */
  portalUrl: string;
  maxAttempts: number;
  /** Called after a transaction that wrote messages commits (wakes the in-process worker). */
  written?: () => void;
  /** False only in the benchmark's baseline (a grant without its messages); never in a deployment. */
  writeMessages?: boolean;
}

/** Where the demo outbox reads from: what the channels' simulators actually received. */
export interface DemoOutboxSource {
  received(): Promise<SimulatedDelivery[]>;
  /** An e-mail's HTML or a letter's PDF, as the simulator stored it. */
  content(channel: 'email' | 'paper', messageId: string): Promise<{ type: string; body: Buffer } | null>;
}
