/**
 * Party requests: a municipality's own e-service (an API client) asks the register's parties to sign or
 * confirm a document of its own — a consent, an approval — and later reads each party's answer. A party
 * request is an errand of its own kind (`kind = 'party-request'`, no applicant): the same parties from
 * the registers, the same answers in the portal bound to the hash of what was shown, the same messages,
 * deadlines and reminders. Who may do what is the access module's; the rules are the domain's.
 */
import { randomUUID } from 'node:crypto';
import {
  involvementOf, isLocalDate, partyRequestDeadlineOk, partyRequestInvolvement, personIsMinor, refuse, responseDeadline, sameParty,
  type ClientActor, type ErrandStatus, type LocalDate, type PartyRef,
} from '@puolesta/domain';
import { findErrand, insertErrand, type NewParty } from '../repositories/errands.repository.js';
import { guardiansOf, partyNames, propertyWithOwners } from '../repositories/registers.repository.js';
import type { AuditActor } from '../repositories/audit.repository.js';
import { assertAllowed } from './access.js';
import type { MunicipalServiceView } from './catalogue.service.js';
import { today, type Context } from './context.js';
import { askParties, base, errandHash, newErrandRef, offeredService, partyAnswerOf, partyFactsOf } from './errands.service.js';
import { requireKnownParty, requireProperty } from './parties.js';
import { inUnitOfWork } from './unit-of-work.js';

export interface PartyRequestDocument { title: string; sha256: string; summary?: string; url?: string }

export interface PartyRequestInput {
  service: string;
  subject: { type: string; id: string };
  document: PartyRequestDocument;
  parties?: { type: string; id: string }[];
  deadline?: string;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const key = (p: { type: string; id: string }) => `${p.type}:${p.id}`;
const clientAudit = (c: ClientActor): AuditActor => ({ kind: 'api-client', id: c.id, municipality: c.municipality });

/** The document as stored (and hashed): trimmed, the digest in lower case; refusals name the field. */
function documentOf(d: PartyRequestDocument): PartyRequestDocument {
  if (!SHA256_HEX.test(d.sha256)) throw refuse('party-request.hash-invalid', { field: 'document.sha256' }, 'document.sha256');
  const title = d.title.trim();
  if (!title) throw refuse('input.schema', { field: 'document.title', message: 'is empty' }, 'document.title');
  const summary = d.summary?.trim();
  const url = d.url?.trim();
  if (url !== undefined) {
    let ok = false;
    try { ok = new URL(url).protocol === 'https:'; } catch { ok = false; }
    if (!ok) throw refuse('input.schema', { field: 'document.url', message: 'must be an https address' }, 'document.url');
  }
  return { title, sha256: d.sha256.toLowerCase(), ...(summary ? { summary } : {}), ...(url ? { url } : {}) };
}

/** The given deadline (tomorrow up to 90 days ahead), or the default time to answer. */
function deadlineOf(given: string | undefined, d: LocalDate): LocalDate {
  if (given === undefined) return responseDeadline(d);
  if (!isLocalDate(given) || !partyRequestDeadlineOk(given, d)) throw refuse('party-request.deadline-invalid', { field: 'deadline' }, 'deadline');
  return given;
}

/**
 * Whom or what the request concerns, checked against the service's subject, and the register's parties
 * by the service's rule, exactly as an errand's: a property's owners, a child's guardians, an
 * organisation answering by its signing rule. Co-applicants and 'none': the caller names them.
 */
async function subjectAndParties(ctx: Context, svc: MunicipalServiceView, raw: { type: string; id: string }, d: LocalDate): Promise<{ subject: { type: string; id: string }; parties: PartyRef[] }> {
  const expected = () => refuse('errand.subject-type', { expected: svc.subject, field: 'subject.type' }, 'subject.type');
  if (svc.subject === 'property') {
    if (raw.type !== 'property') throw expected();
    const target = await requireProperty(ctx, 'subject', raw);
    const prop = await propertyWithOwners(ctx.db, target.id);
    if (!prop) throw refuse('property.unknown', { field: 'subject' }, 'subject.id');
    return { subject: target, parties: svc.parties === 'owners-of-property' ? prop.owners : [] };
  }
  if (raw.type === 'property') throw expected();
  const subject = await requireKnownParty(ctx, 'subject', raw);
  switch (svc.subject) {
    case 'child': if (subject.type !== 'person' || !personIsMinor(subject.id, d)) throw expected(); break;
    case 'organization': if (subject.type !== 'organization') throw expected(); break;
    case 'self': case 'self-or-principal': if (subject.type !== 'person') throw expected(); break;
    default: break;
  }
  let parties: PartyRef[] = [];
  if (svc.parties === 'guardians-of-subject' && subject.type === 'person') parties = (await guardiansOf(ctx.db, subject.id as never)).map((id) => ({ type: 'person', id }));
  if (svc.parties === 'signatories-of-organization' && subject.type === 'organization') parties = [subject];
  return { subject, parties };
}

/** The parties as stored: the register's, then those the caller named (known to the registers, each once). */
async function partiesOf(ctx: Context, fromRegisters: readonly PartyRef[], given: readonly { type: string; id: string }[]): Promise<NewParty[]> {
  const all: { ref: PartyRef; source: NewParty['source'] }[] = fromRegisters.map((ref) => ({ ref, source: 'register' }));
  const seen = new Set<string>();
  for (const [i, raw] of given.entries()) {
    const p = await requireKnownParty(ctx, `parties.${i}`, raw);
    if (seen.has(key(p))) throw refuse('errand.duplicate-party', { field: `parties.${i}` }, `parties.${i}.id`);
    seen.add(key(p));
    if (fromRegisters.some((x) => sameParty(x, p))) continue;
    all.push({ ref: p, source: 'entered' });
  }
  // Nobody applies, so nobody is represented: every party answers for itself.
  return all.map(({ ref, source }, position) => ({ position, ref, source, represented: false, basis: null, contact: null }));
}

/**
 * An e-service asks the parties to sign or confirm its document: the request waits for their answers
 * (the parties are told at once, in the same unit of work).
 */
export async function createPartyRequest(ctx: Context, client: ClientActor, input: PartyRequestInput) {
  assertAllowed('party-request.create', client, undefined as never);
  const d = today(ctx);
  const document = documentOf(input.document);
  const deadline = deadlineOf(input.deadline, d);
  const svc = await offeredService(ctx, client.municipality, input.service);
  const { subject, parties: fromRegisters } = await subjectAndParties(ctx, svc, input.subject, d);
  const parties = await partiesOf(ctx, fromRegisters, input.parties ?? []);
  if (parties.length === 0) throw refuse('party-request.no-parties', { field: 'parties' }, 'parties');
  const involvement = partyRequestInvolvement(involvementOf(svc.policy));
  const status: ErrandStatus = involvement === 'sign' ? 'awaiting-signatures' : 'awaiting-confirmations';
  const id = randomUUID();
  const ref = newErrandRef();
  const data = {};
  const hash = errandHash({ municipality: svc.municipality, service: svc.code, subject, data, document, parties: parties.map((p) => p.ref) });
  await inUnitOfWork(ctx, clientAudit(client), async (u) => {
    await insertErrand(u.db, {
      id, ref, kind: 'party-request', municipality: svc.municipality, service: svc.code, applicantId: null, apiClient: client.id, subject, principal: null,
      basis: null, status, involvement, policy: svc.policy, data, document: { ...document }, hash, deadline, language: 'fi', at: ctx.now(),
    }, parties);
    const e = base({ id, municipality: svc.municipality, service: svc.code });
    u.emit({ type: 'errand.created', kind: 'party-request', ...e });
    const l = (await findErrand(u.db, id))!;
    askParties(u, l.errand, await partyFactsOf(u.ctx, l), '', false, deadline);
  });
  return { id, ref, status, deadline };
}

export interface PartyRequestView {
  id: string;
  ref: string;
  status: ErrandStatus;
  service: string;
  subject: { type: string; id: string };
  document: PartyRequestDocument;
  /** What the parties are asked. */
  ask: 'sign' | 'confirm';
  /** Last day to answer; null once nobody is waited for. */
  deadline: LocalDate | null;
  parties: { type: string; id: string; name: string; response: string; answeredAt?: string; declineReason?: string }[];
  createdAt: string;
  completedAt?: string;
}

/** The state of a request and each party's answer, for the requesting municipality's clients (anyone else: not found). */
export async function getPartyRequest(ctx: Context, client: ClientActor, id: string): Promise<PartyRequestView> {
  const l = await findErrand(ctx.db, id);
  if (!l || l.errand.kind !== 'party-request') throw refuse('party-request.not-found');
  const e = l.errand;
  assertAllowed('party-request.read', client, { municipality: e.municipality as never });
  const facts = await partyFactsOf(ctx, l);
  const names = await partyNames(ctx.db, l.parties.map((p) => p.ref));
  return {
    id: e.id, ref: e.ref, status: e.status, service: e.service,
    subject: { type: e.subject.type, id: e.subject.id },
    document: e.document as unknown as PartyRequestDocument,
    ask: e.involvement === 'sign' ? 'sign' : 'confirm',
    deadline: e.deadline,
    parties: l.parties.map((p, i) => partyAnswerOf(l, p, facts[i]!, names.get(key(p.ref)) ?? '')),
    createdAt: e.createdAt.toISOString(),
    ...(e.status === 'submitted' && e.submittedAt ? { completedAt: e.submittedAt.toISOString() } : {}),
  };
}
