/**
 * Errands: starting one in a municipality's service, saving its draft, sending it (with the basis for
 * acting worked out fresh from the registers and mandates, or a mandate asked for), the parties'
 * signatures and confirmations, a caseworker's information requests and decision. Every command is one
 * unit of work; who may do what is the access module's; the rules are the domain's (errands.ts).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import stringify from 'json-stable-stringify';
import { answeredMeanwhile, keyedRequest, oncePerKey, rememberAnswer } from './idempotency.js';
import {
  AWAITING_PARTIES, answerFor, answerersOf, asMunicipalityCode, birthDateOf, decide, DomainErrors, errandActions, expectedOf, involvementOf,
  lastDayAsMinor, mayAnswerFor, onSideOf, recommendedMandateTerms, partyAnswered, personIsMinor, refuse, responseDeadline, responseOf, sameParty, standing,
  statusAfterAnswer, statusOnSending, waitsForMe,
  type Actor, type DomainEvent, type ErrandFacts, type ErrandPartyFacts, type ErrandStatus, type Involvement, type LocalDate, type PartyAsk, type PartyRef, type PersonFacts, type StaffActor,
} from '@puolesta/domain';
import type { Db } from '../db/database.js';
import type { ErrandBasisRow } from '../db/schema.js';
import { validateFormData, type FormProblem } from '../forms/validate.js';
import {
  clearDeclines, countQueue, errandIdsOfPerson, errandQueue, errandsAwaitingMandate, eventsOfErrand, findErrand, insertAnswers, insertErrand, loadErrands,
  setDecline, setPartyBasis, setPartyContact, updateErrand, voidAnswers, type ErrandPartyRecord, type ErrandRecord, type LoadedErrand, type NewParty, type QueueCursor,
} from '../repositories/errands.repository.js';
import { findMandate } from '../repositories/mandates.repository.js';
import { guardiansOf, loadRelations, partyNames, propertyWithOwners, staffNames } from '../repositories/registers.repository.js';
import { assertAllowed, loadPersonFacts, type Caller } from './access.js';
import { getMunicipalService, type MunicipalServiceView } from './catalogue.service.js';
import { today, type Context } from './context.js';
import { requestMandateIn, useMandateIn } from './mandates.service.js';
import { contactDetails } from './notifications.service.js';
import { grantingSide, parseParty, requireKnownParty, requireMunicipality } from './parties.js';
import { inUnitOfWork, type UnitOfWork } from './unit-of-work.js';
import type { AuditActor } from '../repositories/audit.repository.js';

/** The usage log's "e-service" for uses in errands sent through the portal itself. */
export const PORTAL_CLIENT = 'puolesta-portal';
/** How many entered co-applicants an errand takes. */
const MAX_ENTERED_PARTIES = 10;

// ---- input -------------------------------------------------------------------------------------------

export interface ErrandInput {
  municipality: string;
  service: string;
  subject: { type: string; id: string };
  data?: Record<string, unknown>;
  parties?: { type: string; id: string; contact?: { email?: string | null; phone?: string | null } }[];
}

const asPerson = (id: string): PartyRef => ({ type: 'person', id });
const key = (p: { type: string; id: string }) => `${p.type}:${p.id}`;

/** The service as offered in that municipality, or a refusal naming the field. */
export async function offeredService(ctx: Context, municipality: string, service: string): Promise<MunicipalServiceView> {
  requireMunicipality(ctx, 'municipality', municipality);
  try {
    return await getMunicipalService(ctx, municipality, service);
  } catch {
    throw refuse('errand.unknown-service', { field: 'service' }, 'service');
  }
}

/** The form's problems as refusals at `data.<path>` (a draft may still lack required fields). */
function assertForm(service: string, data: unknown, complete: boolean): void {
  const problems: FormProblem[] = validateFormData(service, data).filter((p) => complete || p.code !== 'form.required');
  if (problems.length) throw new DomainErrors(problems.map((p) => ({ code: p.code, params: { ...p.params, field: p.field }, field: p.field })));
}

/** The hash a signature binds to: everything the signer saw, in a canonical form. */
export function errandHash(e: { municipality: string; service: string; subject: unknown; data: unknown; document?: unknown; parties: readonly PartyRef[]; attachments?: readonly string[] }): string {
  const canonical = stringify({ municipality: e.municipality, service: e.service, subject: e.subject, data: e.data, document: e.document ?? null, parties: e.parties.map(key), attachments: e.attachments ?? [] }) ?? '';
  return createHash('sha256').update(canonical).digest('hex');
}

const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A reference people can read out on the phone (no look-alike characters). */
export const newErrandRef = () => `PA-${Array.from({ length: 8 }, () => REF_ALPHABET[randomInt(REF_ALPHABET.length)]).join('')}`;

// ---- the basis for acting -----------------------------------------------------------------------------

/**
 * How `me` may act for `principal` in one of the service's issues, read fresh from the database (the
 * source of truth, in the command's transaction): the domain's `decide`. Null: no basis today.
 */
async function basisFor(db: Db, me: PartyRef, principal: PartyRef, issues: readonly string[], municipality: string, date: LocalDate, target: { type: 'property'; id: string } | null): Promise<ErrandBasisRow | null> {
  if (sameParty(me, principal)) return { kind: 'self' };
  if (issues.length === 0) return null;
  const rel = await loadRelations(db, me, principal);
  for (const issue of issues) {
    const d = decide({ actor: me, principal, issue, target, municipality: asMunicipalityCode(municipality), date }, rel);
    if (d.allowed && d.basis) return { kind: d.basis, ...(d.mandateId ? { mandateId: d.mandateId, oneOff: d.oneOff ?? false } : {}) };
  }
  return null;
}

interface Resolved {
  principal: PartyRef;
  basis: ErrandBasisRow | null;
  target: { type: 'property'; id: string } | null;
  /** The register's parties by the service's rule (the applicant among them where the rule names them). */
  registerParties: PartyRef[];
}

/** Whom the errand concerns, for whom the applicant acts and on which basis, and the register's parties. */
async function resolveSubject(db: Db, c: Caller, svc: MunicipalServiceView, subject: { type: string; id: string }, d: LocalDate): Promise<Resolved> {
  const me = asPerson(c.actor.id);
  const expected = () => refuse('errand.subject-type', { expected: svc.subject, field: 'subject.type' }, 'subject.type');
  const municipality = svc.municipality;
  if (svc.subject === 'property') {
    if (subject.type !== 'property') throw expected();
    const prop = await propertyWithOwners(db, subject.id);
    if (!prop) throw refuse('property.unknown', { field: 'subject' }, 'subject.id');
    const target = { type: 'property' as const, id: prop.id };
    const parties = svc.parties === 'owners-of-property' ? prop.owners : [];
    if (prop.owners.some((o) => sameParty(o, me))) return { principal: me, basis: { kind: 'owner' }, target, registerParties: parties };
    // An owner's organisation one signs for alone, or an owner's mandate for this property.
    for (const owner of prop.owners) {
      const basis = await basisFor(db, me, owner, svc.issues, municipality, d, target);
      if (basis) return { principal: owner, basis, target, registerParties: parties };
    }
    throw refuse('errand.not-owner', { field: 'subject.id' }, 'subject.id');
  }
  if (subject.type === 'property') throw expected();
  const principal = parseParty('subject', subject);
  const s = standing(c.facts, principal, d);
  switch (svc.subject) {
    case 'self': if (!sameParty(principal, me)) throw refuse('errand.cannot-act-for', { field: 'subject.id' }, 'subject.id'); break;
    case 'child': if (principal.type !== 'person' || !personIsMinor(principal.id, d)) throw expected(); break;
    case 'organization': if (principal.type !== 'organization') throw expected(); break;
    case 'self-or-principal': if (principal.type !== 'person') throw expected(); break;
    case 'self-or-organization': if (principal.type === 'person' && !sameParty(principal, me)) throw expected(); break;
  }
  let basis = await basisFor(db, me, principal, svc.issues, municipality, d, null);
  // An organisation's joint signatory starts its errand; the other signatures complete it (situation B).
  if (!basis && s.kind === 'signatory' && s.signing === 'jointly' && svc.policy.kind === 'multi-signature') basis = { kind: 'organization-role' };
  let registerParties: PartyRef[] = [];
  if (svc.parties === 'guardians-of-subject' && principal.type === 'person') registerParties = (await guardiansOf(db, principal.id as never)).map(asPerson);
  if (svc.parties === 'signatories-of-organization' && principal.type === 'organization') registerParties = [principal];
  if (svc.parties === 'co-applicants') registerParties = [principal];
  return { principal, basis, target: null, registerParties };
}

/** The parties as stored: the register's (and entered co-applicants), with whether the applicant answers for each. */
async function buildParties(ctx: Context, db: Db, c: Caller, svc: MunicipalServiceView, r: Resolved, input: ErrandInput, involvement: Involvement, d: LocalDate): Promise<NewParty[]> {
  const me = asPerson(c.actor.id);
  const given = input.parties ?? [];
  const contacts = new Map<string, { email?: string; phone?: string }>();
  const entered: PartyRef[] = [];
  const seen = new Set<string>();
  if (given.length > MAX_ENTERED_PARTIES) throw refuse('input.schema', { field: 'parties', message: `at most ${MAX_ENTERED_PARTIES}` }, 'parties');
  for (const [i, raw] of given.entries()) {
    const p = parseParty(`parties.${i}`, raw);
    if (seen.has(key(p))) throw refuse('errand.duplicate-party', { field: `parties.${i}` }, `parties.${i}.id`);
    seen.add(key(p));
    if (raw.contact) {
      const cd = contactDetails(raw.contact, `parties.${i}.contact.`);
      contacts.set(key(p), { ...(cd.email ? { email: cd.email } : {}), ...(cd.phone ? { phone: cd.phone } : {}) });
    }
    if (r.registerParties.some((x) => sameParty(x, p))) continue;
    if (svc.parties !== 'co-applicants') throw refuse('errand.parties-not-allowed', { field: `parties.${i}` }, `parties.${i}`);
    if (sameParty(p, me)) throw refuse('errand.party-is-applicant', { field: `parties.${i}` }, `parties.${i}.id`);
    await requireKnownParty(ctx, `parties.${i}`, p);
    entered.push(p);
  }
  const all: { ref: PartyRef; source: NewParty['source'] }[] = [
    ...r.registerParties.map((ref) => ({ ref, source: (svc.parties === 'co-applicants' ? 'subject' : 'register') as NewParty['source'] })),
    ...entered.map((ref) => ({ ref, source: 'entered' as const })),
  ];
  const out: NewParty[] = [];
  for (const { ref, source } of all) {
    const self = sameParty(ref, me);
    // The applicant is a party of their own only where the parties sign; elsewhere they are the applicant.
    if (self && involvement !== 'sign') continue;
    const basis = self ? { kind: 'self' as const } : await basisFor(db, me, ref, svc.issues, svc.municipality, d, r.target);
    // The applicant's own part is their signature on the version they send (an edit voids it and gives it anew).
    out.push({ position: out.length, ref, source, represented: basis !== null && !self, basis, contact: contacts.get(key(ref)) ?? null });
  }
  return out;
}

// ---- facts ------------------------------------------------------------------------------------------------

/** Each party with who must answer for it and who has, on the current version. */
export async function partyFactsOf(db: Pick<Context, 'db' | 'now'>, l: LoadedErrand): Promise<ErrandPartyFacts[]> {
  const out: ErrandPartyFacts[] = [];
  for (const p of l.parties) {
    out.push({
      ref: p.ref,
      side: await grantingSide(db, p.ref),
      answeredBy: l.answers.filter((a) => a.position === p.position && a.version === l.errand.version).map((a) => a.personId),
      representedByApplicant: p.represented,
      declined: p.declinedBy !== null,
    });
  }
  return out;
}

function personFactsOf(me: PersonFacts, l: LoadedErrand, parties: readonly ErrandPartyFacts[], d: LocalDate): ErrandFacts {
  const e = l.errand;
  const onPrincipalSide = (p: PartyRef | null) => !!p && (sameParty(p, asPerson(me.id)) || onSideOf(standing(me, p, d), []));
  const subject = e.subject.type === 'person' || e.subject.type === 'organization' ? (e.subject as PartyRef) : null;
  const mine = parties.filter((p) => mayAnswerFor(p, me.id) || (p.ref.type === 'person' && p.ref.id === me.id));
  return {
    kind: e.kind,
    status: e.status,
    municipality: e.municipality,
    involvement: e.involvement,
    applicant: e.applicantId === me.id,
    principalSide: onPrincipalSide(e.principal) || onPrincipalSide(subject),
    party: mine.length > 0,
    answerPending: AWAITING_PARTIES.includes(e.status) && mine.some((p) => !p.declined && !partyAnswered(p) && !p.answeredBy.includes(me.id) && mayAnswerFor(p, me.id)),
  };
}

const staffFacts = (l: LoadedErrand): ErrandFacts => ({
  kind: l.errand.kind, status: l.errand.status, municipality: l.errand.municipality, involvement: l.errand.involvement,
  applicant: false, principalSide: false, party: false, answerPending: false,
});

/** The errand if the caller may see it (anyone else: the same 404 as a missing one), with its facts. */
export async function visibleErrand(ctx: Context, who: Caller | StaffActor, id: string, lock: boolean) {
  const l = await findErrand(ctx.db, id, lock);
  if (!l) throw refuse('errand.not-found');
  const parties = await partyFactsOf(ctx, l);
  const actor: Actor = 'actor' in who ? who.actor : who;
  const facts = 'actor' in who ? personFactsOf(who.facts, l, parties, today(ctx)) : staffFacts(l);
  assertAllowed('errand.read', actor, facts);
  return { l, parties, facts, actor };
}

/** The mandate the applicant lacks, as the errand will ask for it (the domain's recommended terms for the service). */
function neededMandate(svc: MunicipalServiceView, principal: PartyRef, d: LocalDate) {
  const minorUntil = principal.type === 'person' && personIsMinor(principal.id, d) ? lastDayAsMinor(birthDateOf(principal.id)) : null;
  return recommendedMandateTerms({ issues: svc.issues, recommended: svc.recommendedMandate as 'one-off' | 'long-term' | undefined, today: d, minorUntil });
}

// ---- commands ---------------------------------------------------------------------------------------------

export const personAudit = (id: string, onBehalfOf?: PartyRef | null): AuditActor =>
  onBehalfOf && !(onBehalfOf.type === 'person' && onBehalfOf.id === id) ? { kind: 'person', id, onBehalfOf } : { kind: 'person', id };
export const base = (e: Pick<ErrandRecord, 'id' | 'municipality' | 'service'>) => ({ errandId: e.id, municipality: e.municipality, service: e.service });

/** Starts an errand as a draft: the subject, the basis and the parties are worked out and shown before anything is sent. */
export async function createErrand(ctx: Context, c: Caller, input: ErrandInput) {
  assertAllowed('errand.create', c.actor, undefined as never);
  const svc = await offeredService(ctx, input.municipality, input.service);
  const d = today(ctx);
  const data = input.data ?? {};
  assertForm(svc.code, data, false);
  const involvement = involvementOf(svc.policy);
  const r = await resolveSubject(ctx.db, c, svc, input.subject, d);
  const parties = await buildParties(ctx, ctx.db, c, svc, r, input, involvement, d);
  const id = randomUUID();
  const ref = newErrandRef();
  const subject = { type: input.subject.type, id: input.subject.id };
  const hash = errandHash({ municipality: svc.municipality, service: svc.code, subject, data, parties: parties.map((p) => p.ref) });
  await inUnitOfWork(ctx, personAudit(c.actor.id, r.principal), async (u) => {
    await insertErrand(u.db, {
      id, ref, kind: 'errand', municipality: svc.municipality, service: svc.code, applicantId: c.actor.id, apiClient: null, subject, principal: r.principal,
      basis: r.basis, status: 'draft', involvement, policy: svc.policy, data, document: null, hash, deadline: null, language: 'fi', at: ctx.now(),
    }, parties);
    u.emit({ type: 'errand.created', kind: 'errand', ...base({ id, municipality: svc.municipality, service: svc.code }) });
  });
  return { id, ref, status: 'draft' as const };
}

/** Saves the draft's data (or a change to a sent errand before its decision: a change after a signature voids the signatures and asks again). */
export async function saveErrand(ctx: Context, c: Caller, id: string, input: { data: Record<string, unknown>; parties?: ErrandInput['parties'] }) {
  return inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, c, id, true);
    assertAllowed('errand.edit', c.actor, facts);
    const e = l.errand;
    assertForm(e.service, input.data, false);
    // Contact details corrected for this errand (not part of what is signed: no new version).
    for (const [i, raw] of (input.parties ?? []).entries()) {
      const ref = parseParty(`parties.${i}`, raw);
      const party = l.parties.find((p) => sameParty(p.ref, ref));
      if (!party) throw refuse('errand.parties-not-allowed', { field: `parties.${i}` }, `parties.${i}`);
      const cd = contactDetails(raw.contact ?? {}, `parties.${i}.contact.`);
      await setPartyContact(u.db, id, party.position, cd.email || cd.phone ? { ...(cd.email ? { email: cd.email } : {}), ...(cd.phone ? { phone: cd.phone } : {}) } : null);
    }
    if (stringify(input.data) === stringify(e.data)) return { id, status: e.status, version: e.version, hash: e.hash };
    const { version, hash } = await errandChanged(u, c, l, { data: input.data }, (v) => ({ type: 'errand.edited', ...base(e), ...v }));
    return { id, status: e.status, version, hash };
  });
}

/**
 * The errand changed — its data, or an attachment added or removed (already written in this unit of
 * work): a new version whose hash covers what the errand now holds, and every standing signature
 * void. Where the errand waits for the parties, the applicant's own answer is given again on the new
 * version and everyone else is asked again, with a fresh deadline. `said` is the event of the change.
 */
export async function errandChanged(
  u: UnitOfWork, c: Caller, l: LoadedErrand, change: { data?: Record<string, unknown> },
  said: (v: { version: number; signaturesVoided: boolean }) => DomainEvent,
): Promise<{ version: number; hash: string }> {
  const ctx = u.ctx;
  const e = l.errand;
  const now = (await findErrand(u.db, e.id))!;
  const data = change.data ?? e.data;
  const version = e.version + 1;
  const hash = errandHash({ ...e, data, parties: now.parties.map((p) => p.ref), attachments: now.attachments.map((a) => a.sha256) });
  const voided = await voidAnswers(u.db, e.id, ctx.now());
  const askAgain = voided > 0 && AWAITING_PARTIES.includes(e.status);
  const deadline = askAgain ? responseDeadline(today(ctx)) : e.deadline;
  await updateErrand(u.db, e.id, { ...(change.data ? { data: JSON.stringify(change.data) } : {}), version, hash, deadline, ...(deadline !== e.deadline ? { reminded_on: null } : {}), updated_at: ctx.now() });
  u.emit(said({ version, signaturesVoided: voided > 0 }));
  if (askAgain) {
    // The applicant's own answer is given again with the change; everyone else is asked again.
    const fresh = (await findErrand(u.db, e.id))!;
    await answerAsApplicant(u, c, fresh, await partyFactsOf(u.ctx, fresh));
    const again = await partyFactsOf(u.ctx, (await findErrand(u.db, e.id))!);
    askParties(u, fresh.errand, again, c.actor.id, true, deadline);
  }
  return { version, hash };
}

/** The applicant's answer for the parties they answer for by their own right but not alone (a joint signatory). */
async function answerAsApplicant(u: UnitOfWork, c: Caller, l: LoadedErrand, parties: readonly ErrandPartyFacts[]) {
  const ask = answerFor(l.errand.involvement);
  if (!ask) return;
  const rows = l.parties.filter((p, i) => !p.represented && mayAnswerFor(parties[i]!, c.actor.id) && !parties[i]!.answeredBy.includes(c.actor.id))
    .map((p) => ({ position: p.position, personId: c.actor.id, answer: ask, version: l.errand.version, hash: l.errand.hash }));
  await insertAnswers(u.db, l.errand.id, rows, u.ctx.now());
}

/** Tells the parties who still have to answer (or, where they are only told, all of them); `actorId` is not told (they answered by sending). */
export function askParties(u: UnitOfWork, e: ErrandRecord, parties: readonly ErrandPartyFacts[], actorId: string, again: boolean, deadline: LocalDate | null) {
  const ask: PartyAsk = e.involvement === 'sign' ? 'sign' : e.involvement === 'confirm' ? 'confirm' : 'notify';
  const persons = new Set<string>();
  for (const p of parties) {
    if (ask !== 'notify' && (partyAnswered(p) || p.declined)) continue;
    for (const id of answerersOf(p)) if (id !== actorId && !p.answeredBy.includes(id)) persons.add(id);
  }
  if (persons.size) u.emit({ type: 'errand.parties-asked', ...base(e), persons: [...persons], ask, again, deadline });
}

export interface SendOptions { attest?: boolean; idempotencyKey?: string }

/** Sends the errand (the applicant); with an Idempotency-Key, the same key gives the same answer once more and changes nothing. */
export async function submitErrand(ctx: Context, c: Caller, id: string, o: SendOptions) {
  const keyed = keyedRequest('errand-submit', c.actor.id, o.idempotencyKey, { id, attest: o.attest ?? null }, 'errand.idempotency-key-reused');
  return oncePerKey(ctx, keyed, () => inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, c, id, true);
    // A twin sent with the same key at the same moment held the lock first: this one gets its answer.
    const twin = await answeredMeanwhile<{ id: string; status: ErrandStatus }>(u, keyed);
    if (twin) return twin;
    assertAllowed('errand.submit', c.actor, facts);
    const e = l.errand;
    assertForm(e.service, e.data, true);
    if (e.involvement === 'attest' && o.attest !== true) throw refuse('errand.attestation-required', { field: 'attest' }, 'attest');
    if (e.status === 'returned') {
      u.emit({ type: 'errand.information-provided', ...base(e) });
      await updateErrand(u.db, id, { information_request: JSON.stringify({ ...e.informationRequest!, answeredAt: ctx.now().toISOString() }) });
    }
    await updateErrand(u.db, id, { attested: o.attest === true });
    const status = await send(u, c, (await findErrand(u.db, id))!);
    const response = { id, status };
    await rememberAnswer(u, keyed, response);
    return response;
  }));
}

/**
 * The errand goes out: with a fresh basis (or the mandate asked for: situation A), each mandate's use
 * logged (a one-off consumed), the applicant's own signature given, and the parties asked.
 */
async function send(u: UnitOfWork, c: Caller, l: LoadedErrand): Promise<ErrandStatus> {
  const ctx = u.ctx;
  const e = l.errand;
  const d = today(ctx);
  const svc = await offeredService(ctx, e.municipality, e.service);
  const r = await resolveSubject(u.db, c, svc, e.subject, d);
  if (!r.basis) {
    if (e.mandateRequestId) {
      const pending = await findMandate(u.db, e.mandateRequestId as never);
      if (pending && pending.status === 'requested') throw refuse('errand.wrong-status', { status: 'awaiting-mandate' });
    }
    const t = neededMandate(svc, r.principal, d);
    const mandateId = await requestMandateIn(u, c, { principal: r.principal, issues: t.issues, validUntil: t.validUntil, oneOff: t.oneOff });
    await updateErrand(u.db, e.id, { status: 'awaiting-mandate', mandate_request_id: mandateId, principal: JSON.stringify(r.principal), updated_at: ctx.now() });
    u.emit({ type: 'errand.sent', ...base(e), status: 'awaiting-mandate', version: e.version, hash: e.hash, attested: e.attested });
    u.emit({ type: 'errand.awaiting-mandate', ...base(e), mandateId });
    return 'awaiting-mandate';
  }
  // The parties' bases afresh: a mandate from a co-owner answers for them.
  const me = asPerson(c.actor.id);
  const usedMandates = new Map<string, boolean>();
  if (r.basis.kind === 'mandate' && r.basis.mandateId) usedMandates.set(r.basis.mandateId, true);
  for (const p of l.parties) {
    const basis = sameParty(p.ref, me) ? { kind: 'self' as const } : await basisFor(u.db, me, p.ref, svc.issues, e.municipality, d, r.target);
    if (basis?.kind === 'mandate' && basis.mandateId) usedMandates.set(basis.mandateId, true);
    await setPartyBasis(u.db, e.id, p.position, basis !== null && !sameParty(p.ref, me), basis);
  }
  for (const mandateId of usedMandates.keys()) await useMandateIn(u, mandateId, { actor: me, municipality: asMunicipalityCode(e.municipality), errandRef: e.ref, apiClient: PORTAL_CLIENT, service: e.service });
  await clearDeclines(u.db, e.id);
  let fresh = (await findErrand(u.db, e.id))!;
  await answerAsApplicant(u, c, fresh, await partyFactsOf(ctx, fresh));
  fresh = (await findErrand(u.db, e.id))!;
  const parties = await partyFactsOf(ctx, fresh);
  const status = statusOnSending({ hasBasis: true, involvement: e.involvement, parties });
  const awaiting = AWAITING_PARTIES.includes(status);
  const deadline = awaiting ? responseDeadline(d) : null;
  await updateErrand(u.db, e.id, {
    status, basis: JSON.stringify(r.basis), principal: JSON.stringify(r.principal), deadline, reminded_on: null, updated_at: ctx.now(),
    ...(status === 'submitted' ? { submitted_at: ctx.now() } : {}),
  });
  u.emit({ type: 'errand.sent', ...base(e), status, version: e.version, hash: e.hash, attested: e.attested });
  if (awaiting || e.involvement === 'notify') askParties(u, fresh.errand, parties, c.actor.id, false, deadline);
  if (status === 'submitted') u.emit({ type: 'errand.submitted', ...base(e) });
  return status;
}

/** A party's answer: sign or confirm the exact version shown (`hash`), or decline with a reason. */
export async function respondToErrand(ctx: Context, c: Caller, id: string, input: { response: 'sign' | 'confirm' | 'decline'; reason?: string; hash?: string }) {
  return inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, parties, facts } = await visibleErrand(u.ctx, c, id, true);
    assertAllowed('errand.respond', c.actor, facts);
    const e = l.errand;
    if (input.hash !== undefined && input.hash !== e.hash) throw refuse('errand.version-changed', { version: e.version }, 'hash');
    const expected = answerFor(e.involvement);
    const mine = l.parties.map((p, i) => ({ p, f: parties[i]! })).filter(({ f }) => mayAnswerFor(f, c.actor.id) && !f.declined && !partyAnswered(f) && !f.answeredBy.includes(c.actor.id));
    if (input.response === 'decline') {
      const reason = (input.reason ?? '').trim();
      if (!reason) throw refuse('errand.reason-required', { field: 'reason' }, 'reason');
      for (const { p } of mine) {
        await setDecline(u.db, id, p.position, c.actor.id, reason, ctx.now());
        u.emit({ type: 'errand.declined', ...base(e), person: c.actor.id, party: p.ref, reason }, personAudit(c.actor.id, p.ref));
      }
      await updateErrand(u.db, id, { status: 'declined', deadline: null, updated_at: ctx.now() });
      return { id, status: 'declined' as ErrandStatus };
    }
    if (input.response !== expected) throw refuse('errand.wrong-answer', { expected: expected ?? 'none', field: 'response' }, 'response');
    await insertAnswers(u.db, id, mine.map(({ p }) => ({ position: p.position, personId: c.actor.id, answer: expected, version: e.version, hash: e.hash })), ctx.now());
    for (const { p } of mine) u.emit({ type: 'errand.answered', ...base(e), person: c.actor.id, party: p.ref, answer: expected, version: e.version, hash: e.hash }, personAudit(c.actor.id, p.ref));
    const after = await partyFactsOf(u.ctx, (await findErrand(u.db, id))!);
    const status = statusAfterAnswer(e.involvement, after);
    if (status !== e.status) {
      await updateErrand(u.db, id, { status, updated_at: ctx.now(), ...(status === 'submitted' ? { submitted_at: ctx.now(), deadline: null } : {}) });
      if (status === 'submitted') u.emit({ type: 'errand.submitted', ...base(e) });
    } else await updateErrand(u.db, id, { updated_at: ctx.now() });
    return { id, status };
  });
}

export async function withdrawErrand(ctx: Context, c: Caller, id: string) {
  return inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, c, id, true);
    assertAllowed('errand.withdraw', c.actor, facts);
    await updateErrand(u.db, id, { status: 'withdrawn', deadline: null, updated_at: ctx.now() });
    u.emit({ type: 'errand.withdrawn', ...base(l.errand), wasSent: l.errand.status !== 'draft' });
    return { id, status: 'withdrawn' as ErrandStatus };
  });
}

const staffAudit = (s: StaffActor): AuditActor => ({ kind: 'staff', key: s.key, municipality: s.municipality });

export async function requestInformation(ctx: Context, staff: StaffActor, id: string, input: { text: string }) {
  const text = input.text.trim();
  if (!text) throw refuse('errand.information-text-required', { field: 'text' }, 'text');
  return inUnitOfWork(ctx, staffAudit(staff), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, staff, id, true);
    assertAllowed('errand.request-information', staff, facts);
    await updateErrand(u.db, id, { status: 'returned', information_request: JSON.stringify({ text, at: ctx.now().toISOString(), by: staff.key }), updated_at: ctx.now() });
    u.emit({ type: 'errand.information-requested', ...base(l.errand), text });
    return { id, status: 'returned' as ErrandStatus };
  });
}

export async function decideErrand(ctx: Context, staff: StaffActor, id: string, input: { outcome: 'approved' | 'rejected'; text: string }) {
  const text = input.text.trim();
  if (!text) throw refuse('errand.decision-text-required', { field: 'text' }, 'text');
  return inUnitOfWork(ctx, staffAudit(staff), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, staff, id, true);
    assertAllowed('errand.decide', staff, facts);
    const at = ctx.now();
    await updateErrand(u.db, id, { status: 'decided', decision: JSON.stringify({ outcome: input.outcome, text, at: at.toISOString(), by: staff.key }), decided_at: at, updated_at: at });
    u.emit({ type: 'errand.decided', ...base(l.errand), outcome: input.outcome });
    return { id, status: 'decided' as ErrandStatus };
  });
}

/**
 * When a mandate an errand waits for is decided (in the principal's unit of work): granted and covering
 * the service → the errand goes on by itself; rejected (or granted too narrow) → back to the applicant, who is told.
 */
export async function continueAfterMandate(u: UnitOfWork, mandateId: string, outcome: 'granted' | 'rejected'): Promise<void> {
  for (const id of await errandsAwaitingMandate(u.db, mandateId)) {
    const l = (await findErrand(u.db, id))!;
    const e = l.errand;
    const applicant = e.applicantId!;
    const c: Caller = { actor: { kind: 'person', id: applicant as never }, facts: await loadPersonFacts(u.db, applicant as never) };
    if (outcome === 'granted') {
      const svc = await offeredService(u.ctx, e.municipality, e.service).catch(() => null);
      const r = svc ? await resolveSubject(u.db, c, svc, e.subject, today(u.ctx)).catch(() => null) : null;
      if (r?.basis) {
        // The principal's decision stands whatever the errand meets: if sending fails now, the errand
        // waits as it was and its applicant can send it again.
        try {
          await u.savepoint(() => send(u, c, l));
        } catch (err) {
          u.ctx.log.warn({ errand: id, err: { message: (err as Error).message } }, 'errand could not go on after its mandate was granted');
        }
        continue;
      }
    }
    await updateErrand(u.db, id, { status: 'draft', updated_at: u.ctx.now() });
    u.emit({ type: 'errand.mandate-rejected', ...base(e), mandateRequest: mandateId });
  }
}

// ---- reading ----------------------------------------------------------------------------------------------

export interface ErrandView {
  id: string;
  ref: string;
  /** `party-request`: an e-service of the municipality asks the parties to sign or confirm its `document`. */
  kind: 'errand' | 'party-request';
  document?: { title: string; sha256: string; summary?: string; url?: string };
  status: ErrandStatus;
  municipality: string;
  service: string;
  serviceName: { fi: string; sv: string; en: string };
  basis: { kind: string; mandateId?: string; oneOff?: boolean } | null;
  actor: { type: 'person'; id: string; name: string } | null;
  subject: { type: string; id: string; name: string };
  principal: { type: string; id: string; name: string } | null;
  parties: { type: string; id: string; name: string; response: string; represented: boolean; source: string; answeredAt?: string; declineReason?: string; contact?: { email?: string; phone?: string } }[];
  mandateRequest?: { id: string };
  /** With no basis yet: the mandate sending will ask the principal for (issues, dates, one-off or not). */
  neededMandate?: { issues: string[]; validFrom: string; validUntil: string; oneOff: boolean };
  decision?: { outcome: 'approved' | 'rejected'; text: string; at: string };
  informationRequest?: { text: string; at: string; answeredAt?: string };
  involvement: Involvement;
  policy: { kind: string; alternative?: string };
  data: Record<string, unknown>;
  version: number;
  hash: string;
  attested: boolean;
  deadline?: string;
  expected: string;
  /** The files that are part of the errand, in the order they were added (their digests are in `hash`). */
  attachments: { id: string; name: string; contentType: string; size: number; sha256: string; createdAt: string }[];
  events: { type: string; at: string; by?: string }[];
  permittedActions: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
}

/** A party as the errand (or party request) shows it: its response on the current version, when it answered, why it declined. */
export function partyAnswerOf(l: LoadedErrand, p: ErrandPartyRecord, f: ErrandPartyFacts, name: string) {
  const e = l.errand;
  const answered = l.answers.filter((a) => a.position === p.position && a.version === e.version).at(-1);
  return {
    type: p.ref.type, id: p.ref.id, name, response: responseOf(f, e.involvement, e.status),
    ...(answered ? { answeredAt: answered.at.toISOString() } : {}),
    ...(p.declineReason ? { declineReason: p.declineReason } : {}),
  };
}

async function views(ctx: Context, list: { l: LoadedErrand; parties: ErrandPartyFacts[]; facts: ErrandFacts; actor: Actor }[], withEvents: boolean): Promise<ErrandView[]> {
  const refs: PartyRef[] = [];
  const properties: string[] = [];
  for (const { l } of list) {
    if (l.errand.applicantId) refs.push(asPerson(l.errand.applicantId));
    if (l.errand.principal) refs.push(l.errand.principal);
    if (l.errand.subject.type === 'property') properties.push(l.errand.subject.id);
    else refs.push(l.errand.subject as PartyRef);
    for (const p of l.parties) refs.push(p.ref);
  }
  const names = await partyNames(ctx.db, refs);
  const addresses = new Map<string, string>();
  for (const id of new Set(properties)) addresses.set(id, (await propertyWithOwners(ctx.db, id))?.address ?? id);
  const staff = withEvents ? await staffNames(ctx.db) : new Map<string, string>();
  const nameOf = (p: { type: string; id: string }) => (p.type === 'property' ? addresses.get(p.id) ?? p.id : names.get(key(p)) ?? '');
  const out: ErrandView[] = [];
  for (const { l, parties, facts, actor } of list) {
    const e = l.errand;
    const svc = await offeredService(ctx, e.municipality, e.service).catch(() => null);
    const svcName = svc?.name ?? { fi: e.service, sv: e.service, en: e.service };
    const needed = svc && !e.basis && e.principal && e.kind === 'errand' && (e.status === 'draft' || e.status === 'awaiting-mandate') ? neededMandate(svc, e.principal, today(ctx)) : null;
    const events = withEvents ? (await eventsOfErrand(ctx.db, e.id)).map(({ event, actor: a, at }) => ({
      type: event.type, at: at.toISOString(),
      ...(a.kind === 'person' && typeof a.id === 'string' ? { by: names.get(`person:${a.id}`) ?? '' } : a.kind === 'staff' && typeof a.key === 'string' ? { by: staff.get(a.key) ?? '' } : {}),
    })) : [];
    out.push({
      id: e.id, ref: e.ref, kind: e.kind, ...(e.document ? { document: e.document as NonNullable<ErrandView['document']> } : {}), status: e.status, municipality: e.municipality, service: e.service, serviceName: svcName,
      basis: e.basis, actor: e.applicantId ? { type: 'person', id: e.applicantId, name: names.get(`person:${e.applicantId}`) ?? '' } : null,
      subject: { ...e.subject, name: nameOf(e.subject) },
      principal: e.principal ? { ...e.principal, name: nameOf(e.principal) } : null,
      parties: l.parties.map((p: ErrandPartyRecord, i) => ({
        ...partyAnswerOf(l, p, parties[i]!, nameOf(p.ref)), represented: p.represented, source: p.source,
        ...(facts.applicant && p.contact ? { contact: p.contact } : {}),
      })),
      ...(e.mandateRequestId ? { mandateRequest: { id: e.mandateRequestId } } : {}),
      ...(needed ? { neededMandate: needed } : {}),
      ...(e.decision ? { decision: { outcome: e.decision.outcome, text: e.decision.text, at: e.decision.at } } : {}),
      ...(e.informationRequest ? { informationRequest: { text: e.informationRequest.text, at: e.informationRequest.at, ...(e.informationRequest.answeredAt ? { answeredAt: e.informationRequest.answeredAt } : {}) } } : {}),
      involvement: e.involvement, policy: e.policy, data: e.data, version: e.version, hash: e.hash, attested: e.attested,
      ...(e.deadline ? { deadline: e.deadline } : {}),
      expected: actor.kind === 'staff' ? (e.status === 'submitted' && e.kind === 'errand' ? 'decide' : 'nothing') : expectedOf(facts),
      attachments: l.attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, createdAt: a.createdAt.toISOString() })),
      events,
      permittedActions: errandActions(actor, facts),
      createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
      ...(e.submittedAt ? { submittedAt: e.submittedAt.toISOString() } : {}),
    });
  }
  return out;
}

export async function getErrand(ctx: Context, who: Caller | StaffActor, id: string): Promise<ErrandView> {
  const v = await visibleErrand(ctx, who, id, false);
  return (await views(ctx, [v], true))[0]!;
}

/** The errand as its printed summary shows it: for whoever may see it, once it has been sent. */
export async function errandForSummary(ctx: Context, who: Caller | StaffActor, id: string): Promise<ErrandView> {
  const v = await visibleErrand(ctx, who, id, false);
  assertAllowed('errand.download-summary', v.actor, v.facts);
  return (await views(ctx, [v], true))[0]!;
}

/** The errands where I am applicant, principal (or decide for them) or party, newest first, with their facts for me. */
async function ownErrands(ctx: Context, c: Caller) {
  const d = today(ctx);
  const mine: PartyRef[] = [
    ...[...c.facts.children.keys(), ...c.facts.wards.keys()].map(asPerson),
    ...[...c.facts.organizations.keys()].map((id) => ({ type: 'organization' as const, id })),
  ];
  const ids = await errandIdsOfPerson(ctx.db, c.actor.id, mine, 200);
  const list = [];
  for (const l of await loadErrands(ctx.db, ids)) {
    const parties = await partyFactsOf(ctx, l);
    const facts = personFactsOf(c.facts, l, parties, d);
    if (!seesErrandNow(c.actor, facts)) continue;
    list.push({ l, parties, facts, actor: c.actor as Actor });
  }
  return list;
}

/** The errands where I am applicant, principal (or decide for them) or party, newest first. */
export async function myErrands(ctx: Context, c: Caller): Promise<{ items: ErrandView[] }> {
  return { items: await views(ctx, await ownErrands(ctx, c), false) };
}

/** How many of my errands wait for me (a signature, a confirmation, an answer to the caseworker): the navigation's count. */
export async function errandsWaitingFor(ctx: Context, c: Caller): Promise<number> {
  return (await ownErrands(ctx, c)).filter(({ facts }) => waitsForMe(expectedOf(facts))).length;
}

/** How many sent errands wait for a decision in the caseworker's municipality: the navigation's count of the queue. */
export async function queueWaiting(ctx: Context, staff: StaffActor): Promise<number> {
  return staff.municipality ? countQueue(ctx.db, { municipality: staff.municipality, statuses: ['submitted'] }) : 0;
}

const seesErrandNow = (actor: Actor, f: ErrandFacts) => errandActions(actor, f).length > 0 || f.applicant || ((f.principalSide || f.party) && f.status !== 'draft');

const QUEUE_STATUSES: readonly ErrandStatus[] = ['submitted', 'returned', 'awaiting-signatures', 'awaiting-confirmations', 'awaiting-mandate', 'decided', 'withdrawn', 'declined', 'expired'];

const encodeCursor = (c: QueueCursor) => Buffer.from(`${c.at}|${c.id}`).toString('base64url');
function decodeCursor(s: string): QueueCursor {
  const [at, id] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw refuse('input.schema', { field: 'cursor', message: 'is not a cursor this list gave' }, 'cursor');
  return { at, id };
}

/** A caseworker's queue: their municipality's sent errands, oldest first, by status and service. */
export async function staffQueue(ctx: Context, staff: StaffActor, q: { status?: string; service?: string; cursor?: string; limit?: number }) {
  if (!staff.municipality) throw refuse('access.role-required', { roles: ['caseworker'] });
  const statuses = q.status ? q.status.split(',') : ['submitted'];
  for (const s of statuses) if (!(QUEUE_STATUSES as readonly string[]).includes(s)) throw refuse('input.schema', { field: 'status', message: `must be one of ${QUEUE_STATUSES.join(', ')}` }, 'status');
  const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
  const rows = await errandQueue(ctx.db, { municipality: staff.municipality, statuses, ...(q.service ? { service: q.service } : {}), ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const loaded = await loadErrands(ctx.db, page.map((e) => e.id));
  const list = [];
  for (const l of loaded) list.push({ l, parties: await partyFactsOf(ctx, l), facts: staffFacts(l), actor: staff as Actor });
  const items = await views(ctx, list, false);
  const last = page.at(-1);
  const now = ctx.now().getTime();
  return {
    items: items.map((v) => ({ ...v, ageDays: Math.floor((now - Date.parse(v.submittedAt ?? v.createdAt)) / 86_400_000) })),
    ...(rows.length > limit && last ? { nextCursor: encodeCursor({ at: last.submittedAt!.toISOString(), id: last.id }) } : {}),
  };
}

