/**
 * Errands as the UI sees them: the API's shapes, whom an errand may concern as a person's session and
 * received mandates offer it, and small readings of the API's answers. The rules (the basis for
 * acting, the parties, who may do what) are the server's: the UI shows `basis`, `parties`,
 * `expected` and `permittedActions` as they come.
 */
import type { Answer, Mandate, Me, MunicipalServiceDetail } from './api.js';

export type Errand = Answer<'/api/v1/errands/{id}', 'get'>;
export type ErrandStatus = Errand['status'];
export type ErrandAction = Errand['permittedActions'][number];
export type ErrandParty = Errand['parties'][number];
export type QueueItem = Answer<'/api/v1/staff/errands', 'get'>['items'][number];
export type SavedErrand = Answer<'/api/v1/errands/{id}', 'put'>;
export type SubjectKind = MunicipalServiceDetail['subject'];

type PersonMe = Extract<Me, { kind: 'person' }>;

/** Every status, in the order an errand goes through them (the caseworkers' filter lists them so). */
export const ERRAND_STATUSES: readonly ErrandStatus[] = [
  'draft', 'awaiting-mandate', 'awaiting-signatures', 'awaiting-confirmations', 'submitted', 'returned', 'decided', 'withdrawn', 'declined', 'expired',
];
/** The statuses a caseworker's queue can show (a draft is nobody's but the applicant's). */
export const QUEUE_STATUSES: readonly ErrandStatus[] = ERRAND_STATUSES.filter((s) => s !== 'draft');

/** What is expected of me that needs my action (such errands come first in my list). */
export const ACTION_EXPECTED = ['sign', 'confirm', 'answer-information-request', 'complete-and-send'] as const;
export const needsMyAction = (e: Pick<Errand, 'expected'>): boolean => (ACTION_EXPECTED as readonly string[]).includes(e.expected);

/** My errands with those that wait for me first, otherwise in the API's order (newest first). */
export function actionFirst<T extends Pick<Errand, 'expected'>>(items: readonly T[]): T[] {
  return [...items.filter(needsMyAction), ...items.filter((e) => !needsMyAction(e))];
}

/** How someone may act for whom an errand concerns, as the start page offers it (the server works out the real basis). */
export type OfferedBasis = 'self' | 'guardianship' | 'court-guardianship' | 'organization-role' | 'mandate' | 'owner';

export interface SubjectChoice {
  /** The radio button's value: never an identity code. */
  key: string;
  subject: { type: 'person' | 'organization' | 'property'; id: string };
  name: string;
  basis: OfferedBasis;
  /** A role's name, a mandate's issue codes and end: what the basis text says besides its kind. */
  role?: string;
  issues?: readonly string[];
  validUntil?: string;
  oneOff?: boolean;
}

/** The kind of identity a service's "someone else" is entered by. */
export function otherKind(kind: SubjectKind): 'person' | 'organization' | 'property' | null {
  switch (kind) {
    case 'self': return null;
    case 'child': case 'self-or-principal': return 'person';
    case 'organization': case 'self-or-organization': return 'organization';
    case 'property': return 'property';
  }
}

/**
 * Whom an errand in a service of this `subject` kind may concern, from the session (myself, my
 * children, my wards, organisations I sign for, my properties) and the mandates I have received
 * (their principals, and the properties they are limited to). One choice per subject, the first
 * basis found kept; the server decides on the errand's creation.
 */
export function subjectChoices(me: PersonMe, received: readonly Mandate[], kind: SubjectKind): SubjectChoice[] {
  const out: SubjectChoice[] = [];
  const seen = new Set<string>();
  const add = (c: Omit<SubjectChoice, 'key'>) => {
    const k = `${c.subject.type}:${c.subject.id}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ ...c, key: `s${out.length}` });
  };
  const persons = kind === 'self-or-principal';
  const orgs = kind === 'organization' || kind === 'self-or-organization';
  if (kind === 'self' || kind === 'self-or-principal' || kind === 'self-or-organization') {
    add({ subject: { type: 'person', id: me.person.id }, name: me.person.name, basis: 'self' });
  }
  if (kind === 'child') for (const c of me.children) add({ subject: { type: 'person', id: c.id }, name: c.name, basis: 'guardianship' });
  if (persons) for (const w of me.wards) add({ subject: { type: 'person', id: w.id }, name: w.name, basis: 'court-guardianship' });
  if (orgs) {
    for (const o of me.organizations.filter((x) => x.signing === 'alone' || x.signing === 'jointly')) {
      add({ subject: { type: 'organization', id: o.id }, name: o.name, basis: 'organization-role', role: o.role, oneOff: false });
    }
  }
  if (kind === 'property') {
    for (const p of me.properties) add({ subject: { type: 'property', id: p.id }, name: p.address ?? p.id, basis: 'owner' });
  }
  for (const m of received.filter((x) => x.status === 'active')) {
    const mandate = { basis: 'mandate' as const, issues: m.issues, validUntil: m.validUntil, oneOff: m.oneOff };
    if (kind === 'property') {
      if (m.target) add({ subject: { type: 'property', id: m.target.id }, name: m.target.address ?? m.target.id, ...mandate });
    } else if ((persons && m.principal.type === 'person') || (orgs && m.principal.type === 'organization')) {
      add({ subject: { type: m.principal.type as 'person' | 'organization', id: m.principal.id }, name: m.principal.name, ...mandate });
    }
  }
  return out;
}

/** A key for one attempt of sending (the `Idempotency-Key`): the same attempt retried sends once. */
export function newAttemptKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The errand's summary as a PDF, in the reader's language. */
export const summaryPdfUrl = (id: string, lang: string) => `/api/v1/errands/${encodeURIComponent(id)}/summary.pdf?lang=${encodeURIComponent(lang)}`;

/** Where the start page opens for a service. */
export const startLink = (municipality: string, service: string) =>
  `/errands/new?${new URLSearchParams({ municipality, service }).toString()}`;
