import { randomUUID } from 'node:crypto';
import { answeredMeanwhile, keyedRequest, oncePerKey, rememberAnswer } from './idempotency.js';
import {
  asMandateId,
  assertUsableBy,
  effectiveStatus,
  mandateActions,
  onSideOf,
  sameParty,
  stillAwaited,
  type MandateAction,
  assertValidTerms,
  birthDateOf,
  grantComplete,
  isLocalDate,
  lastDayAsMinor,
  maxDate,
  missingPaperSigners,
  narrowTerms,
  grantedLessThanAsked,
  permitted,
  personIsMinor,
  refuse,
  standing,
  type ClientActor,
  type GrantingSide,
  type LocalDate,
  type MandateStatus,
  type MandateTermsPayload,
  type MunicipalityCode,
  type PartyRef,
  type StaffActor,
} from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import { findMandate, insertMandate, insertUse, mandatesOfParties, updateMandate, type MandateRecord } from '../repositories/mandates.repository.js';
import { ownsProperty, partyNames, propertyAddresses } from '../repositories/registers.repository.js';
import { errandsOfMandateRequests } from '../repositories/errands.repository.js';
import { serviceNames } from '../repositories/usage-log.repository.js';
import { endedWhilePending, eventsOfMandate } from '../repositories/events.repository.js';
import { assertAllowed, mandateFacts, type Caller } from './access.js';
import { today, type Context } from './context.js';
import { grantingSide, parseParty, requireKnownParty, requireMunicipality, requireProperty } from './parties.js';
import { inUnitOfWork, type UnitOfWork } from './unit-of-work.js';

export interface MandateInput {
  agent?: { type: string; id: string };
  principal?: { type: string; id: string };
  issues?: string[];
  bundle?: string;
  validFrom?: string;
  validUntil: string;
  oneOff?: boolean;
  target?: { type: string; id: string };
  municipality?: string;
  onBehalfOf?: { type: string; id: string };
}

function date(field: string, v: string | undefined, fallback: LocalDate): LocalDate {
  if (v === undefined) return fallback;
  if (!isLocalDate(v)) throw refuse('input.date', { field }, field);
  return v;
}

function issuesOf(ctx: Context, input: Pick<MandateInput, 'issues' | 'bundle'>): string[] {
  const out = new Set<string>();
  if (input.bundle !== undefined) {
    const b = ctx.catalogue.bundleByCode.get(input.bundle);
    if (!b) throw refuse('mandate.unknown-bundle', { bundle: input.bundle }, 'bundle');
    b.issues.forEach((i) => out.add(i));
  }
  (input.issues ?? []).forEach((i) => out.add(i));
  return [...out];
}

/** Set when the principal is a minor today: the last day the guardians' basis holds. */
const minorUntil = (ctx: Context, principal: PartyRef): LocalDate | null =>
  principal.type === 'person' && personIsMinor(principal.id, today(ctx)) ? lastDayAsMinor(birthDateOf(principal.id)) : null;

/** Validates and normalises the terms shared by a grant, a request and a paper mandate. */
async function terms(ctx: Context, input: MandateInput, principal: PartyRef, issues: string[], municipality?: MunicipalityCode | null) {
  const validFrom = date('validFrom', input.validFrom, today(ctx));
  const validUntil = date('validUntil', input.validUntil, today(ctx));
  const target = input.target ? await requireProperty(ctx, 'target', input.target) : null;
  assertValidTerms({ issues, validFrom, validUntil }, {
    today: today(ctx), knownIssues: ctx.catalogue.issueCodes, principalMinorUntil: minorUntil(ctx, principal),
    ...(target ? { targetOwnedByPrincipal: await ownsProperty(ctx.db, principal, target.id) } : {}),
  });
  const m = municipality !== undefined ? municipality : input.municipality !== undefined ? requireMunicipality(ctx, 'municipality', input.municipality) : null;
  return { issues, bundle: input.bundle ?? null, validFrom, validUntil, target, municipality: m, oneOff: input.oneOff ?? false };
}
type Terms = Awaited<ReturnType<typeof terms>>;

const termsPayload = (t: { issues: readonly string[]; validFrom: LocalDate; validUntil: LocalDate; oneOff?: boolean; target?: { type: 'property'; id: string } | null; municipality?: MunicipalityCode | null }): MandateTermsPayload => ({
  issues: [...t.issues], validFrom: t.validFrom, validUntil: t.validUntil, oneOff: t.oneOff ?? false,
  ...(t.target ? { target: t.target } : {}), ...(t.municipality ? { municipality: t.municipality } : {}),
});

const personActor = (personId: string, party?: PartyRef): AuditActor =>
  party && !(party.type === 'person' && party.id === personId) ? { kind: 'person', id: personId, onBehalfOf: party } : { kind: 'person', id: personId };

/** Whom the caller speaks for: themselves, or `onBehalfOf` (a minor child, an organisation, a ward). No register look-up: an unknown party is refused like a stranger. */
function speakingFor(c: Caller, onBehalfOf: { type: string; id: string } | undefined): PartyRef {
  return onBehalfOf ? parseParty('onBehalfOf', onBehalfOf) : { type: 'person', id: c.actor.id };
}

const approversRequired = (side: GrantingSide) => (side.kind === 'child' ? [...side.guardians] : []);

/**
 * Direct grant by the principal (or for an organisation, a minor child or a ward, by who decides for it).
 * With an `Idempotency-Key` the same key grants once; a retry gets the same answer (services/idempotency.ts).
 */
export async function grantMandate(ctx: Context, c: Caller, input: MandateInput, idempotencyKey?: string) {
  const keyed = keyedRequest('mandate-grant', c.actor.id, idempotencyKey, input);
  return oncePerKey(ctx, keyed, async () => {
    const principal = speakingFor(c, input.onBehalfOf);
    const issues = issuesOf(ctx, input);
    assertAllowed('mandate.grant', c.actor, { principal: standing(c.facts, principal, today(ctx)), issues });
    if (!input.agent) throw refuse('input.required', { field: 'agent' }, 'agent');
    const agent = await requireKnownParty(ctx, 'agent', input.agent);
    if (agent.type === principal.type && agent.id === principal.id) throw refuse('party.self', {}, 'agent');
    const t = await terms(ctx, input, principal, issues);
    const side = await grantingSide(ctx, principal);
    const done = [c.actor.id];
    const status: 'active' | 'requested' = grantComplete(side, done) ? 'active' : 'requested';
    const id = randomUUID();
    const actor = personActor(c.actor.id, principal);
    await inUnitOfWork(ctx, actor, async (u) => {
      await insertMandate(u.db, { id, principal, agent, ...t, status, source: 'electronic', createdBy: actor, version: await u.authzVersion(), approversRequired: approversRequired(side), approversDone: done });
      const base = { mandateId: id, principal, agent };
      u.emit(status === 'active'
        ? { type: 'mandate.granted', ...base, terms: termsPayload(t) }
        : { type: 'mandate.grant-awaiting-approval', ...base, terms: termsPayload(t), awaiting: principal.type === 'organization' ? 'second-signatory' : 'guardians' });
      await rememberAnswer(u, keyed, { id, status });
    });
    return { id, status };
  });
}

/** The agent (or who acts for it) asks the principal for a mandate; with an `Idempotency-Key`, once per key. */
export async function requestMandate(ctx: Context, c: Caller, input: MandateInput, idempotencyKey?: string) {
  const keyed = keyedRequest('mandate-request', c.actor.id, idempotencyKey, input);
  return oncePerKey(ctx, keyed, async () => {
    const r = await prepareRequest(ctx, c, input);
    const answer = { id: r.id, status: 'requested' as const };
    await inUnitOfWork(ctx, r.actor, async (u) => {
      await writeRequest(u, r);
      await rememberAnswer(u, keyed, answer);
    });
    return answer;
  });
}

/** The same request made inside another command's unit of work (an errand that waits for the mandate). */
export async function requestMandateIn(u: UnitOfWork, c: Caller, input: MandateInput): Promise<string> {
  const r = await prepareRequest(u.ctx, c, input);
  await writeRequest(u, r);
  return r.id;
}

async function prepareRequest(ctx: Context, c: Caller, input: MandateInput) {
  const agent = speakingFor(c, input.onBehalfOf);
  assertAllowed('mandate.request', c.actor, { agent: standing(c.facts, agent, today(ctx)) });
  if (!input.principal) throw refuse('input.required', { field: 'principal' }, 'principal');
  const principal = await requireKnownParty(ctx, 'principal', input.principal);
  if (agent.type === principal.type && agent.id === principal.id) throw refuse('party.self', {}, 'principal');
  const t = await terms(ctx, input, principal, issuesOf(ctx, input));
  const side = await grantingSide(ctx, principal);
  return { id: randomUUID(), agent, principal, t, side, actor: personActor(c.actor.id, agent) };
}

async function writeRequest(u: UnitOfWork, r: Awaited<ReturnType<typeof prepareRequest>>) {
  const { id, principal, agent, t, side, actor } = r;
  await insertMandate(u.db, { id, principal, agent, ...t, status: 'requested', source: 'request', createdBy: actor, version: await u.authzVersion(), approversRequired: approversRequired(side), approversDone: [] });
  u.emit({ type: 'mandate.requested', mandateId: id, principal, agent, terms: termsPayload(t) });
}

/** A mandate the caller may see (anyone else gets the same 404 as for a missing one), with its facts. */
async function visibleMandate(ctx: Context, c: Caller, id: string, lock: boolean) {
  const m = await findMandate(ctx.db, asMandateId(id), lock);
  if (!m) throw refuse('mandate.not-found');
  const facts = mandateFacts(m, c.facts, today(ctx));
  assertAllowed('mandate.read', c.actor, facts);
  return { m, facts };
}

/** When the caller names whom they act for, it must be that side of the mandate. */
function assertActingFor(onBehalfOf: { type: string; id: string } | undefined, party: PartyRef, personId: string) {
  if (!onBehalfOf) return;
  const self = onBehalfOf.type === 'person' && onBehalfOf.id === personId;
  if (!self && !(onBehalfOf.type === party.type && onBehalfOf.id === party.id)) throw refuse('party.not-on-side', { field: 'onBehalfOf' }, 'onBehalfOf');
}

/** The principal's side answers a request (or co-approves a grant that waits); with an `Idempotency-Key`, once per key. */
export async function decideRequest(ctx: Context, c: Caller, id: string, input: { decision: 'grant' | 'reject'; issues?: string[]; validFrom?: string; validUntil?: string; onBehalfOf?: { type: string; id: string } }, idempotencyKey?: string) {
  const keyed = keyedRequest('mandate-decision', c.actor.id, idempotencyKey, { id, ...input });
  return oncePerKey(ctx, keyed, () => inUnitOfWork(ctx, personActor(c.actor.id), async (u) => {
    const { m, facts } = await visibleMandate(u.ctx, c, id, true);
    // A twin sent with the same key at the same moment held the lock first: this one gets its answer.
    const twin = await answeredMeanwhile<{ id: string; status: MandateStatus }>(u, keyed);
    if (twin) return twin;
    const by = personActor(c.actor.id, m.principal);
    assertActingFor(input.onBehalfOf, m.principal, c.actor.id);
    // The first answer on the principal's side decides; a co-approval completes a grant that waits.
    assertAllowed(m.approversDone.length === 0 ? 'mandate.decide' : 'mandate.approve', c.actor, facts);
    const base = { mandateId: m.id, principal: m.principal, agent: m.agent };
    if (input.decision === 'reject') {
      await updateMandate(u.db, id, { status: 'rejected', updated_at: ctx.now(), change_version: await u.authzVersion() });
      u.emit({ type: 'mandate.rejected', ...base }, by);
      const answer = { id, status: 'rejected' as MandateStatus };
      await rememberAnswer(u, keyed, answer);
      return answer;
    }
    const narrowed = narrowTerms(m, {
      ...(input.issues ? { issues: input.issues } : {}),
      ...(input.validFrom !== undefined ? { validFrom: date('validFrom', input.validFrom, m.validFrom) } : {}),
      ...(input.validUntil !== undefined ? { validUntil: date('validUntil', input.validUntil, m.validUntil) } : {}),
    });
    // Nothing is backdated: a request made earlier takes effect at the earliest today.
    const granted = { ...narrowed, validFrom: maxDate(narrowed.validFrom, today(ctx)) };
    assertValidTerms(granted, { today: today(ctx), knownIssues: ctx.catalogue.issueCodes, principalMinorUntil: minorUntil(ctx, m.principal) });
    const side = await grantingSide(u.ctx, m.principal);
    const done = [...m.approversDone, c.actor.id];
    const status = grantComplete(side, done) ? 'active' : 'requested';
    await updateMandate(u.db, id, {
      status, issues: [...granted.issues], valid_from: granted.validFrom, valid_until: granted.validUntil,
      approvers_done: done, updated_at: ctx.now(), change_version: await u.authzVersion(),
    });
    // Less than the agent asked, by this answer or an earlier co-approver's (the agent hears of it either way).
    const askedEvent = (await eventsOfMandate(u.db, m.id)).find((x) => x.type === 'mandate.requested');
    const asked = askedEvent?.type === 'mandate.requested' ? askedEvent.terms : m;
    const narrowedAnything = grantedLessThanAsked(asked, granted, today(ctx));
    const narrowedTo = narrowedAnything ? { narrowedTo: termsPayload({ ...m, ...granted }) } : {};
    u.emit(status === 'active' ? { type: 'mandate.granted', ...base, terms: termsPayload({ ...m, ...granted }), ...narrowedTo } : { type: 'mandate.approved', ...base, ...narrowedTo }, by);
    const answer = { id, status: status as MandateStatus };
    await rememberAnswer(u, keyed, answer);
    return answer;
  }));
}

async function endMandate(ctx: Context, c: Caller, id: string, onBehalfOf: { type: string; id: string } | undefined, how: 'revoke' | 'renounce') {
  return inUnitOfWork(ctx, personActor(c.actor.id), async (u) => {
    const { m, facts } = await visibleMandate(u.ctx, c, id, true);
    const side = how === 'revoke' ? m.principal : m.agent;
    assertActingFor(onBehalfOf, how === 'revoke' ? m.principal : m.agent, c.actor.id);
    assertAllowed(how === 'revoke' ? 'mandate.revoke' : 'mandate.renounce', c.actor, facts);
    const status = how === 'revoke' ? 'revoked' : 'renounced';
    await updateMandate(u.db, id, { status, updated_at: ctx.now(), change_version: await u.authzVersion() });
    u.emit({ type: how === 'revoke' ? 'mandate.revoked' : 'mandate.renounced', mandateId: m.id, principal: m.principal, agent: m.agent }, personActor(c.actor.id, side));
    return { id, status: status as MandateStatus };
  });
}

export const revokeMandate = (ctx: Context, c: Caller, id: string, onBehalfOf?: { type: string; id: string }) => endMandate(ctx, c, id, onBehalfOf, 'revoke');
export const renounceMandate = (ctx: Context, c: Caller, id: string, onBehalfOf?: { type: string; id: string }) => endMandate(ctx, c, id, onBehalfOf, 'renounce');

export interface PaperInput extends MandateInput {
  document: { reference: string; signedOn: string; notes?: string; signedBy?: { type: string; id: string }[] };
}

/**
 * A caseworker registers a mandate from a signed paper power of attorney: in their own
 * municipality's name (the mandate is limited to it), with who signed it — for a minor every
 * guardian, for an organisation its signing rule, as online.
 */
export async function registerPaperMandate(ctx: Context, staff: StaffActor, input: PaperInput) {
  assertAllowed('paper-mandate.register', staff, { municipality: input.municipality !== undefined ? requireMunicipality(ctx, 'municipality', input.municipality) : staff.municipality });
  if (!input.principal) throw refuse('input.required', { field: 'principal' }, 'principal');
  if (!input.agent) throw refuse('input.required', { field: 'agent' }, 'agent');
  const principal = await requireKnownParty(ctx, 'principal', input.principal);
  const agent = await requireKnownParty(ctx, 'agent', input.agent);
  if (agent.type === principal.type && agent.id === principal.id) throw refuse('party.self', {}, 'agent');
  const reference = input.document.reference.trim();
  if (!reference) throw refuse('paper.reference-blank', {}, 'document.reference');
  const signedOn = date('document.signedOn', input.document.signedOn, today(ctx));
  if (signedOn > today(ctx)) throw refuse('paper.signed-in-future', {}, 'document.signedOn');
  const side = await grantingSide(ctx, principal);
  const signedBy = (input.document.signedBy ?? (side.kind === 'person' ? [principal] : [])).map((p, i) => parseParty(`document.signedBy.${i}`, p));
  for (const [i, p] of signedBy.entries()) {
    const canSign = p.type === 'person' && (side.kind === 'person' ? p.id === principal.id : side.kind === 'child' ? side.guardians.includes(p.id) : (side.signing.get(p.id) ?? 'none') !== 'none');
    if (!canSign) throw refuse('paper.signer-unknown', { field: `document.signedBy.${i}` }, `document.signedBy.${i}`);
  }
  const missing = missingPaperSigners(side, principal.id, signedBy.map((p) => p.id));
  if (missing) throw refuse('paper.signers-missing', { required: missing }, 'document.signedBy');
  const t = await terms(ctx, input, principal, issuesOf(ctx, input), staff.municipality);
  const id = randomUUID();
  const actor: AuditActor = { kind: 'staff', key: staff.key, municipality: staff.municipality };
  const document = { reference, signedOn, signedBy, ...(input.document.notes ? { notes: input.document.notes } : {}) };
  await inUnitOfWork(ctx, actor, async (u) => {
    await insertMandate(u.db, { id, principal, agent, ...t, status: 'active', source: 'paper', createdBy: actor, version: await u.authzVersion(), approversRequired: [], approversDone: [], paperDocument: document });
    u.emit({ type: 'mandate.registered-from-paper', mandateId: id, principal, agent, terms: termsPayload(t), document });
  });
  return { id, status: 'active' as const };
}

/** An e-service records that a mandate was used in an errand; a one-off is consumed exactly once. */
export async function recordUse(ctx: Context, client: ClientActor, id: string, input: { errandRef: string; actor: { type: string; id: string }; service?: string }) {
  const errandRef = input.errandRef.trim();
  if (!errandRef) throw refuse('mandate.errand-ref-blank', {}, 'errandRef');
  const actor = await requireKnownParty(ctx, 'actor', input.actor);
  // The service, when the e-service names it, is one of the common catalogue's (the log shows its name).
  if (input.service !== undefined && !(await serviceNames(ctx.db, [input.service])).has(input.service)) {
    throw refuse('catalogue.unknown-service', { municipality: client.municipality, service: input.service }, 'service');
  }
  const service = input.service !== undefined ? { service: input.service } : {};
  return inUnitOfWork(ctx, { kind: 'person', id: actor.id }, (u) => useMandateIn(u, id, { actor, municipality: client.municipality, errandRef, apiClient: client.id, ...service }));
}

/** A use of a mandate in an errand, inside the errand's unit of work: checked against the row (locked), a one-off consumed exactly once, the use logged. */
export async function useMandateIn(u: UnitOfWork, id: string, o: { actor: PartyRef; municipality: MunicipalityCode; errandRef: string; apiClient: string; service?: string }) {
  const m = await findMandate(u.db, asMandateId(id), true);
  if (!m) throw refuse('mandate.not-found');
  assertUsableBy(m, { actor: o.actor, municipality: o.municipality }, today(u.ctx));
  const consumed = m.oneOff;
  if (consumed) await updateMandate(u.db, id, { status: 'consumed', updated_at: u.ctx.now(), change_version: await u.authzVersion() }, 'active');
  const use = await insertUse(u.db, { mandate_id: id, errand_ref: o.errandRef, actor_type: o.actor.type, actor_id: o.actor.id, municipality: o.municipality, api_client: o.apiClient });
  u.emit({ type: 'mandate.used', mandateId: id, principal: m.principal, agent: m.agent, errandRef: o.errandRef, municipality: o.municipality, apiClient: o.apiClient, consumed, ...(o.service ? { service: o.service } : {}) });
  return { id: String(use.id), mandateId: id, at: new Date(use.at).toISOString(), consumed };
}

// ---- reading --------------------------------------------------------------------------------

export type PermittedAction = MandateAction;

type NamedPartyRef = PartyRef & { name: string };

export interface MandateView {
  id: string;
  principal: NamedPartyRef;
  agent: NamedPartyRef;
  issues: string[];
  bundle?: string;
  validFrom: string;
  validUntil: string;
  status: MandateStatus;
  oneOff: boolean;
  /** A property the mandate is limited to, with its street address from the property register (null when it has none). */
  target?: { type: 'property'; id: string; address: string | null };
  municipality?: string;
  source: string;
  awaitingApprovalFrom?: 'guardians' | 'second-signatory' | 'principal';
  /** The caller's side of it: the principal's (I, or whom I decide for, gave it) or the agent's. */
  side: 'principal' | 'agent';
  /** Whom the caller stands for on that side, when not themselves: a child, a ward, an organisation. */
  onBehalfOf?: NamedPartyRef;
  /** Who started it: gave it (a grant) or asked for it (a request). Absent for a paper registration. */
  startedBy?: NamedPartyRef;
  /** Who on the principal's side has said yes so far. */
  approvedBy: NamedPartyRef[];
  /** Pending: whom it still waits for, by name where the registers name them (guardians, the principal). */
  waitingFor?: NamedPartyRef[];
  /** Withdrawn or cancelled while it still waited: it never took effect. */
  endedWhilePending?: true;
  createdAt: string;
  /** A request an errand made (situation A): the errand it is for. */
  forErrand?: { id: string; ref: string; service: string; serviceName: { fi: string; sv: string; en: string }; municipality: string };
  permittedActions: PermittedAction[];
}

const key = (p: PartyRef) => `${p.type}:${p.id}`;
const startedByOf = (m: MandateRecord): PartyRef | null => {
  const by = m.createdBy as { kind?: string; id?: string };
  return by.kind === 'person' && typeof by.id === 'string' ? { type: 'person', id: by.id } : null;
};

/** Views of many mandates: names in two queries, actions from the access rules in memory. */
async function views(ctx: Context, c: Caller, list: MandateRecord[]): Promise<MandateView[]> {
  const d = today(ctx);
  const awaited = new Map(list.map((m) => [m.id, effectiveStatus(m, d) === 'requested' ? stillAwaited({ principal: m.principal, required: m.approversRequired, done: m.approversDone }) : []]));
  const persons = (ids: readonly string[]): PartyRef[] => ids.map((id) => ({ type: 'person', id }));
  const names = await partyNames(ctx.db, list.flatMap((m) => [m.principal, m.agent, ...(startedByOf(m) ? [startedByOf(m)!] : []), ...persons(m.approversDone), ...persons(awaited.get(m.id)!)]));
  const named = (p: PartyRef): NamedPartyRef => ({ ...p, name: names.get(key(p)) ?? '' });
  const errands = await errandsOfMandateRequests(ctx.db, list.filter((m) => m.source === 'request').map((m) => m.id));
  const addresses = await propertyAddresses(ctx.db, list.flatMap((m) => (m.target ? [m.target.id] : [])));
  const neverInForce = await endedWhilePending(ctx.db, list.filter((m) => m.status === 'revoked' || m.status === 'renounced').map((m) => m.id));
  const out: MandateView[] = [];
  for (const m of list) {
    const status = effectiveStatus(m, d);
    const facts = mandateFacts(m, c.facts, d);
    const side = onSideOf(facts.principal, m.issues) ? 'principal' : 'agent';
    const mine = side === 'principal' ? m.principal : m.agent;
    const started = startedByOf(m);
    out.push({
      id: m.id,
      principal: named(m.principal),
      agent: named(m.agent),
      issues: [...m.issues],
      ...(m.bundle ? { bundle: m.bundle } : {}),
      validFrom: m.validFrom,
      validUntil: m.validUntil,
      status,
      oneOff: m.oneOff,
      ...(m.target ? { target: { type: 'property' as const, id: m.target.id, address: addresses.get(m.target.id) ?? null } } : {}),
      ...(m.municipality ? { municipality: m.municipality } : {}),
      source: m.source,
      ...(status === 'requested'
        ? { awaitingApprovalFrom: m.approversDone.length === 0 ? 'principal' as const : m.principal.type === 'organization' ? 'second-signatory' as const : 'guardians' as const }
        : {}),
      side,
      ...(sameParty(mine, { type: 'person', id: c.actor.id }) ? {} : { onBehalfOf: named(mine) }),
      ...(started ? { startedBy: named(started) } : {}),
      approvedBy: persons(m.approversDone).map(named),
      ...(status === 'requested' ? { waitingFor: persons(awaited.get(m.id)!).map(named) } : {}),
      ...(neverInForce.has(m.id) ? { endedWhilePending: true } : {}),
      createdAt: new Date(m.createdAt).toISOString(),
      ...(errands.has(m.id) ? { forErrand: errands.get(m.id)! } : {}),
      permittedActions: mandateActions(c.actor, facts),
    });
  }
  return out;
}

/** The caller's answer is what the pending item waits for: to decide a request, or to co-approve. */
function waitsFor(c: Caller, m: MandateRecord, d: LocalDate): boolean {
  const f = mandateFacts(m, c.facts, d);
  return permitted('mandate.decide', c.actor, f) || permitted('mandate.approve', c.actor, f);
}

export interface MandateListsView { given: MandateView[]; received: MandateView[]; requestsIn: MandateView[]; requestsOut: MandateView[] }

/** The four lists of one party's mandates, as the caller sees them: what waits for the caller's answer is `requestsIn`; every other pending item `requestsOut`. Views are made once for all (`viewOf`). */
function listsOf(ctx: Context, c: Caller, viewOf: ReadonlyMap<string, MandateView>, asPrincipal: MandateRecord[], asAgent: MandateRecord[]): MandateListsView {
  const d = today(ctx);
  const requested = (m: MandateRecord) => effectiveStatus(m, d) === 'requested';
  const waitsForMe = (m: MandateRecord) => waitsFor(c, m, d);
  const v = (list: MandateRecord[]) => list.map((m) => viewOf.get(m.id)!);
  return {
    given: v(asPrincipal.filter((m) => !requested(m))),
    received: v(asAgent.filter((m) => !requested(m))),
    requestsIn: v(asPrincipal.filter((m) => requested(m) && waitsForMe(m))),
    requestsOut: v([...asAgent.filter(requested), ...asPrincipal.filter((m) => requested(m) && !waitsForMe(m))]),
  };
}

/** Views of every record, by id, in one go (a constant number of queries). */
const viewsById = async (ctx: Context, c: Caller, list: MandateRecord[]) => {
  const unique = [...new Map(list.map((m) => [m.id, m])).values()];
  return new Map((await views(ctx, c, unique)).map((v) => [v.id, v]));
};

export interface PartyMandatesView {
  party: NamedPartyRef;
  /** How the caller stands for the party: guardian of a minor child, court-appointed guardian (within the court's scope), signatory. */
  relation: 'guardian' | 'court-guardian' | 'signatory';
  lists: MandateListsView;
}

/**
 * The citizen's own page: their own mandates and requests (`given`, `received`, `requestsOut`);
 * everything that waits for their answer, their own and in the name of those they decide for
 * (`requestsIn`); and per child, ward and organisation they decide for, that party's mandates as
 * the access rules let them see them (`parties`).
 */
/** The records behind the citizen's own page: their own, and those of the parties they decide for as the access rules let them see them. */
async function readings(ctx: Context, c: Caller) {
  const me: PartyRef = { type: 'person', id: c.actor.id };
  const d = today(ctx);
  // The parties the person decides for: minors in custody, wards, organisations they sign for.
  const others = [
    ...[...c.facts.children.keys(), ...c.facts.wards.keys()].map((id) => ({ type: 'person' as const, id })),
    ...[...c.facts.organizations.keys()].map((id) => ({ type: 'organization' as const, id })),
  ].map((p) => ({ p, s: standing(c.facts, p, d) }))
    .filter(({ s }) => s.kind === 'guardian' || s.kind === 'court-guardian' || (s.kind === 'signatory' && s.signing !== 'none'));
  const parties = others.map(({ p }) => p);
  const [asPrincipal, asAgent, othersAsPrincipal, othersAsAgent] = await Promise.all([
    mandatesOfParties(ctx.db, [me], 'principal'), mandatesOfParties(ctx.db, [me], 'agent'),
    mandatesOfParties(ctx.db, parties, 'principal'), mandatesOfParties(ctx.db, parties, 'agent'),
  ]);
  // Only what the access rules let the person see (a ward's mandates within the court's scope).
  const sees = (m: MandateRecord) => permitted('mandate.read', c.actor, mandateFacts(m, c.facts, d));
  return { others, parties, asPrincipal, asAgent, theirsP: othersAsPrincipal.filter(sees), theirsA: othersAsAgent.filter(sees) };
}

/**
 * The citizen's own page: their own mandates and requests (`given`, `received`, `requestsOut`);
 * everything that waits for their answer, their own and in the name of those they decide for
 * (`requestsIn`); and per child, ward and organisation they decide for, that party's mandates as
 * the access rules let them see them (`parties`).
 */
export async function myMandates(ctx: Context, c: Caller) {
  const { others, parties, asPrincipal, asAgent, theirsP, theirsA } = await readings(ctx, c);
  const [names, viewOf] = await Promise.all([partyNames(ctx.db, parties), viewsById(ctx, c, [...asPrincipal, ...asAgent, ...theirsP, ...theirsA])]);
  const own = listsOf(ctx, c, viewOf, asPrincipal, asAgent);
  const perParty: PartyMandatesView[] = others.map(({ p, s }) => ({
    party: { ...p, name: names.get(key(p)) ?? '' },
    relation: s.kind as PartyMandatesView['relation'],
    lists: listsOf(ctx, c, viewOf, theirsP.filter((m) => sameParty(m.principal, p)), theirsA.filter((m) => sameParty(m.agent, p))),
  }));
  return {
    given: own.given,
    received: own.received,
    requestsIn: [...own.requestsIn, ...perParty.flatMap((x) => x.lists.requestsIn)],
    requestsOut: own.requestsOut,
    parties: perParty,
  };
}

/** How many mandate requests and co-approvals wait for the person's answer (the navigation's count): exactly the page's `requestsIn`, without building views. */
export async function mandatesWaitingFor(ctx: Context, c: Caller): Promise<number> {
  const { asPrincipal, theirsP } = await readings(ctx, c);
  const d = today(ctx);
  return [...asPrincipal, ...theirsP].filter((m) => effectiveStatus(m, d) === 'requested' && waitsFor(c, m, d)).length;
}

/** An organisation's mandates, for a person with signing rights in it. */
export async function organizationMandates(ctx: Context, c: Caller, orgId: string) {
  const org: PartyRef = { type: 'organization', id: orgId };
  const d = today(ctx);
  assertAllowed('organization.read-mandates', c.actor, { organization: standing(c.facts, org, d) });
  const [asPrincipal, asAgent] = await Promise.all([mandatesOfParties(ctx.db, [org], 'principal'), mandatesOfParties(ctx.db, [org], 'agent')]);
  return listsOf(ctx, c, await viewsById(ctx, c, [...asPrincipal, ...asAgent]), asPrincipal, asAgent);
}

export async function getMandate(ctx: Context, c: Caller, id: string) {
  const { m } = await visibleMandate(ctx, c, id, false);
  const view = (await views(ctx, c, [m]))[0]!;
  // A request granted narrower than asked: what was asked, so that the agent sees the difference.
  if (m.source === 'request' && m.status !== 'requested') {
    // The grant told the agent it was narrower (grantedLessThanAsked when it was decided): the same answer here.
    const events = await eventsOfMandate(ctx.db, m.id);
    const asked = events.find((x) => x.type === 'mandate.requested');
    const narrowed = events.some((x) => x.type === 'mandate.granted' && x.narrowedTo !== undefined);
    if (asked?.type === 'mandate.requested' && narrowed) {
      return { ...view, askedFor: { issues: [...asked.terms.issues], validFrom: asked.terms.validFrom, validUntil: asked.terms.validUntil } };
    }
  }
  return view;
}
