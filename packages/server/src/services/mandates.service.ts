import { randomUUID } from 'node:crypto';
import {
  assertStatus,
  assertUsable,
  assertValidTerms,
  conflict,
  effectiveStatus,
  forbidden,
  grantComplete,
  invalid,
  isLocalDate,
  mayApprove,
  narrowTerms,
  notFound,
  type LocalDate,
  type MandateStatus,
  type PartyRef,
} from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { appendAudit, auditEntriesFor, type AuditActor } from '../repositories/audit.repository.js';
import { bumpAuthzVersion, findMandate, mandatesOfParties, type MandateRecord } from '../repositories/mandates.repository.js';
import { partyNames, rolesOfPerson, childrenOf } from '../repositories/registers.repository.js';
import { today, type Context } from './context.js';
import { actingAs, grantingSide, isMinorOn, onSide, requireKnownParty, requireMunicipality, requireProperty } from './parties.js';

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
  if (!isLocalDate(v)) throw invalid(field, `${field} must be a date (YYYY-MM-DD).`);
  return v;
}

function issuesOf(ctx: Context, input: Pick<MandateInput, 'issues' | 'bundle'>): string[] {
  const out = new Set<string>();
  if (input.bundle !== undefined) {
    const b = ctx.catalogue.bundleByCode.get(input.bundle);
    if (!b) throw invalid('bundle', `Unknown bundle "${input.bundle}".`);
    b.issues.forEach((i) => out.add(i));
  }
  (input.issues ?? []).forEach((i) => out.add(i));
  return [...out];
}

/** Validates and normalises the terms shared by a grant, a request and a paper mandate. */
async function terms(ctx: Context, input: MandateInput) {
  const issues = issuesOf(ctx, input);
  const validFrom = date('validFrom', input.validFrom, today(ctx));
  const validUntil = date('validUntil', input.validUntil, today(ctx));
  assertValidTerms({ issues, validFrom, validUntil }, today(ctx), ctx.catalogue.issueCodes);
  const target = input.target ? await requireProperty(ctx, 'target', input.target) : null;
  const municipality = input.municipality !== undefined ? requireMunicipality(ctx, 'municipality', input.municipality) : null;
  return { issues, bundle: input.bundle ?? null, validFrom, validUntil, target, municipality, oneOff: input.oneOff ?? false };
}

/** Runs a change in one transaction with its log entries, then makes every process see it. */
export async function change<T>(ctx: Context, work: (c: Context, version: () => Promise<number>) => Promise<T>): Promise<T> {
  let version = 0;
  // Inside, everything reads through the transaction (`c.db`): on PGlite there is only one connection.
  const result = await ctx.db.transaction().execute((tx) =>
    work({ ...ctx, db: tx }, async () => (version = version || (await bumpAuthzVersion(tx, ctx.index.notifyChannel)))),
  );
  if (version) await ctx.index.afterCommit(version);
  return result;
}

const personActor = (personId: string, party?: PartyRef): AuditActor =>
  party && !(party.type === 'person' && party.id === personId) ? { kind: 'person', id: personId, onBehalfOf: party } : { kind: 'person', id: personId };

function row(id: string, principal: PartyRef, agent: PartyRef, t: Awaited<ReturnType<typeof terms>>, status: string, source: string, createdBy: unknown, version: number, extra: { approvers_required?: string[]; approvers_done?: string[]; paper_document?: unknown } = {}) {
  return {
    id,
    principal_type: principal.type, principal_id: principal.id,
    agent_type: agent.type, agent_id: agent.id,
    issues: t.issues, bundle: t.bundle,
    valid_from: t.validFrom, valid_until: t.validUntil,
    status, one_off: t.oneOff,
    target_type: t.target?.type ?? null, target_id: t.target?.id ?? null,
    municipality: t.municipality,
    source,
    created_by: JSON.stringify(createdBy),
    approvers_required: extra.approvers_required ?? [],
    approvers_done: extra.approvers_done ?? [],
    paper_document: extra.paper_document === undefined ? null : JSON.stringify(extra.paper_document),
    change_version: version,
  };
}

const termsLog = (t: { issues: readonly string[]; validFrom: string; validUntil: string; oneOff?: boolean; target?: unknown; municipality?: string | null }) => ({
  issues: t.issues, validFrom: t.validFrom, validUntil: t.validUntil, oneOff: t.oneOff, target: t.target ?? undefined, municipality: t.municipality ?? undefined,
});

/** Direct grant by the principal (or for an organisation / minor child, by who decides for it). */
export async function grantMandate(ctx: Context, personId: string, input: MandateInput) {
  const { party: principal, side } = await actingAs(ctx, personId, input.onBehalfOf);
  if (!input.agent) throw invalid('agent', 'agent is required.');
  const agent = await requireKnownParty(ctx, 'agent', input.agent);
  if (agent.type === principal.type && agent.id === principal.id) throw invalid('agent', 'A mandate cannot be given to oneself.');
  const t = await terms(ctx, input);
  const done = [personId];
  const status: 'active' | 'requested' = grantComplete(side, done) ? 'active' : 'requested';
  const id = randomUUID();
  await change(ctx, async (c, version) => {
    const tx = c.db;
    await tx.insertInto('mandates').values(row(id, principal, agent, t, status, 'electronic', personActor(personId, principal), await version(), {
      approvers_required: side.kind === 'child' ? [...side.guardians] : [], approvers_done: done,
    })).execute();
    await appendAudit(tx, { mandateId: id, event: status === 'active' ? 'granted' : 'grant-awaiting-approval', actor: personActor(personId, principal), data: termsLog(t) });
  });
  return { id, status };
}

/** The agent asks the principal for a mandate. */
export async function requestMandate(ctx: Context, personId: string, input: MandateInput) {
  const { party: agent } = await actingAs(ctx, personId, input.onBehalfOf);
  if (!input.principal) throw invalid('principal', 'principal is required.');
  const principal = await requireKnownParty(ctx, 'principal', input.principal);
  if (agent.type === principal.type && agent.id === principal.id) throw invalid('principal', 'A mandate cannot be requested from oneself.');
  const t = await terms(ctx, input);
  const side = await grantingSide(ctx, principal);
  const id = randomUUID();
  await change(ctx, async (c, version) => {
    const tx = c.db;
    await tx.insertInto('mandates').values(row(id, principal, agent, t, 'requested', 'request', personActor(personId, agent), await version(), {
      approvers_required: side.kind === 'child' ? [...side.guardians] : [],
    })).execute();
    await appendAudit(tx, { mandateId: id, event: 'requested', actor: personActor(personId, agent), data: termsLog(t) });
  });
  return { id, status: 'requested' as const };
}

/** Loads a mandate the person may see; anyone else gets the same 404 as for a missing one. */
async function visibleMandate(ctx: Context, tx: Db, personId: string, id: string, lock: boolean) {
  const m = await findMandate(tx, id, lock);
  if (!m) throw notFound('No such mandate.');
  const principalSide = await onSide(ctx, personId, m.principal);
  const agentSide = await onSide(ctx, personId, m.agent);
  if (!principalSide && !agentSide) throw notFound('No such mandate.');
  return { m, principalSide, agentSide };
}

/** When the caller names whom they act for, it must be that side of the mandate. */
function assertActingFor(onBehalfOf: { type: string; id: string } | undefined, party: PartyRef, personId: string) {
  if (!onBehalfOf) return;
  const self = onBehalfOf.type === 'person' && onBehalfOf.id === personId;
  if (!self && !(onBehalfOf.type === party.type && onBehalfOf.id === party.id)) throw invalid('onBehalfOf', 'onBehalfOf is not a party to this mandate on that side.');
}

export async function decideRequest(ctx: Context, personId: string, id: string, input: { decision: 'grant' | 'reject'; issues?: string[]; validFrom?: string; validUntil?: string; onBehalfOf?: { type: string; id: string } }) {
  return change(ctx, async (c, version) => {
    const tx = c.db;
    const { m, principalSide } = await visibleMandate(c, tx, personId, id, true);
    assertActingFor(input.onBehalfOf, m.principal, personId);
    const side = await grantingSide(c, m.principal);
    if (!principalSide || !mayApprove(side, personId, m.principal.id)) throw forbidden('Only the principal (or who decides for it) can decide on this request.');
    assertStatus(m, today(ctx), ['requested'], 'decide on it');
    if (m.approversDone.includes(personId)) throw conflict('You have already approved this mandate; it waits for the others.');
    const actor = personActor(personId, m.principal);
    if (input.decision === 'reject') {
      await tx.updateTable('mandates').set({ status: 'rejected', updated_at: ctx.now(), change_version: await version() }).where('id', '=', id).execute();
      await appendAudit(tx, { mandateId: id, event: 'rejected', actor });
      return { id, status: 'rejected' as MandateStatus };
    }
    const narrowed = narrowTerms(m, {
      ...(input.issues ? { issues: input.issues } : {}),
      ...(input.validFrom !== undefined ? { validFrom: date('validFrom', input.validFrom, m.validFrom) } : {}),
      ...(input.validUntil !== undefined ? { validUntil: date('validUntil', input.validUntil, m.validUntil) } : {}),
    });
    assertValidTerms(narrowed, today(ctx), ctx.catalogue.issueCodes);
    const done = [...m.approversDone, personId];
    const status = grantComplete(side, done) ? 'active' : 'requested';
    await tx.updateTable('mandates').set({
      status, issues: [...narrowed.issues], valid_from: narrowed.validFrom, valid_until: narrowed.validUntil,
      approvers_done: done, updated_at: ctx.now(), change_version: await version(),
    }).where('id', '=', id).execute();
    const narrowedAnything = narrowed.issues.length !== m.issues.length || narrowed.validFrom !== m.validFrom || narrowed.validUntil !== m.validUntil;
    await appendAudit(tx, { mandateId: id, event: status === 'active' ? 'granted' : 'approved', actor, data: narrowedAnything ? { narrowedTo: termsLog(narrowed) } : {} });
    return { id, status: status as MandateStatus };
  });
}

export async function revokeMandate(ctx: Context, personId: string, id: string, onBehalfOf?: { type: string; id: string }) {
  return change(ctx, async (c, version) => {
    const tx = c.db;
    const { m, principalSide } = await visibleMandate(c, tx, personId, id, true);
    assertActingFor(onBehalfOf, m.principal, personId);
    if (!principalSide) throw forbidden('Only the principal can revoke a mandate; the agent can renounce it.');
    assertStatus(m, today(ctx), ['active', 'requested'], 'revoke it');
    await tx.updateTable('mandates').set({ status: 'revoked', updated_at: ctx.now(), change_version: await version() }).where('id', '=', id).execute();
    await appendAudit(tx, { mandateId: id, event: 'revoked', actor: personActor(personId, m.principal) });
    return { id, status: 'revoked' as MandateStatus };
  });
}

export async function renounceMandate(ctx: Context, personId: string, id: string, onBehalfOf?: { type: string; id: string }) {
  return change(ctx, async (c, version) => {
    const tx = c.db;
    const { m, agentSide } = await visibleMandate(c, tx, personId, id, true);
    assertActingFor(onBehalfOf, m.agent, personId);
    if (!agentSide) throw forbidden('Only the agent can renounce a mandate; the principal can revoke it.');
    assertStatus(m, today(ctx), ['active', 'requested'], 'renounce it');
    await tx.updateTable('mandates').set({ status: 'renounced', updated_at: ctx.now(), change_version: await version() }).where('id', '=', id).execute();
    await appendAudit(tx, { mandateId: id, event: 'renounced', actor: personActor(personId, m.agent) });
    return { id, status: 'renounced' as MandateStatus };
  });
}

/** A caseworker registers a mandate from a signed paper power of attorney. */
export async function registerPaperMandate(
  ctx: Context,
  staff: { key: string; municipality: string | null },
  input: MandateInput & { document: { reference: string; signedOn: string; notes?: string } },
) {
  if (!input.principal) throw invalid('principal', 'principal is required.');
  if (!input.agent) throw invalid('agent', 'agent is required.');
  const principal = await requireKnownParty(ctx, 'principal', input.principal);
  const agent = await requireKnownParty(ctx, 'agent', input.agent);
  if (agent.type === principal.type && agent.id === principal.id) throw invalid('agent', 'A mandate cannot be given to oneself.');
  if (!isLocalDate(input.document.signedOn)) throw invalid('document.signedOn', 'document.signedOn must be a date (YYYY-MM-DD).');
  if (input.document.signedOn > today(ctx)) throw invalid('document.signedOn', 'document.signedOn is in the future.');
  const t = await terms(ctx, input);
  const id = randomUUID();
  const actor: AuditActor = { kind: 'staff', key: staff.key, municipality: staff.municipality };
  await change(ctx, async (c, version) => {
    const tx = c.db;
    await tx.insertInto('mandates').values(row(id, principal, agent, t, 'active', 'paper', actor, await version(), { paper_document: input.document })).execute();
    await appendAudit(tx, { mandateId: id, event: 'registered-from-paper', actor, data: { ...termsLog(t), document: input.document } });
  });
  return { id, status: 'active' as const };
}

/** An e-service records that a mandate was used in an errand; a one-off is consumed exactly once. */
export async function recordUse(ctx: Context, client: { id: string; municipality: string }, id: string, input: { errandRef: string; actor: { type: string; id: string } }) {
  const actor = await requireKnownParty(ctx, 'actor', input.actor);
  return change(ctx, async (c, version) => {
    const tx = c.db;
    const m = await findMandate(tx, id, true);
    if (!m) throw notFound('No such mandate.');
    if (m.agent.type !== actor.type || m.agent.id !== actor.id) throw conflict('The actor is not the agent of this mandate.');
    if (m.municipality && m.municipality !== client.municipality) throw conflict(`The mandate is limited to municipality ${m.municipality}.`);
    assertUsable(m, today(ctx));
    const consumed = m.oneOff;
    if (consumed) {
      await tx.updateTable('mandates').set({ status: 'consumed', updated_at: ctx.now(), change_version: await version() }).where('id', '=', id).where('status', '=', 'active').execute();
    }
    const use = await tx.insertInto('mandate_uses').values({
      mandate_id: id, errand_ref: input.errandRef, actor_type: actor.type, actor_id: actor.id, municipality: client.municipality, api_client: client.id,
    }).returning(['id', 'at']).executeTakeFirstOrThrow();
    await appendAudit(tx, {
      mandateId: id, event: consumed ? 'used-and-consumed' : 'used',
      actor: { kind: 'person', id: actor.id }, data: { errandRef: input.errandRef, municipality: client.municipality, apiClient: client.id },
    });
    return { id: String(use.id), mandateId: id, at: new Date(use.at).toISOString(), consumed };
  });
}

// ---- reading --------------------------------------------------------------------------------

export type PermittedAction = 'revoke' | 'renounce' | 'decide' | 'view-log';

export interface MandateView {
  id: string;
  principal: PartyRef & { name: string };
  agent: PartyRef & { name: string };
  issues: string[];
  bundle?: string;
  validFrom: string;
  validUntil: string;
  status: MandateStatus;
  oneOff: boolean;
  target?: { type: 'property'; id: string };
  municipality?: string;
  source: string;
  awaitingApprovalFrom?: 'guardians' | 'second-signatory' | 'principal';
  createdAt: string;
  permittedActions: PermittedAction[];
}

async function views(ctx: Context, personId: string, list: MandateRecord[]): Promise<MandateView[]> {
  const names = await partyNames(ctx.db, list.flatMap((m) => [m.principal, m.agent]));
  const sideCache = new Map<string, boolean>();
  const side = async (p: PartyRef) => {
    const k = `${p.type}:${p.id}`;
    if (!sideCache.has(k)) sideCache.set(k, await onSide(ctx, personId, p));
    return sideCache.get(k)!;
  };
  const d = today(ctx);
  const out: MandateView[] = [];
  for (const m of list) {
    const status = effectiveStatus(m, d);
    const principalSide = await side(m.principal);
    const agentSide = await side(m.agent);
    const actions: PermittedAction[] = ['view-log'];
    if (principalSide && (status === 'active' || status === 'requested')) actions.push('revoke');
    if (agentSide && (status === 'active' || status === 'requested')) actions.push('renounce');
    if (principalSide && status === 'requested' && !m.approversDone.includes(personId)) actions.push('decide');
    out.push({
      id: m.id,
      principal: { ...m.principal, name: names.get(`${m.principal.type}:${m.principal.id}`) ?? '' },
      agent: { ...m.agent, name: names.get(`${m.agent.type}:${m.agent.id}`) ?? '' },
      issues: [...m.issues],
      ...(m.bundle ? { bundle: m.bundle } : {}),
      validFrom: m.validFrom,
      validUntil: m.validUntil,
      status,
      oneOff: m.oneOff,
      ...(m.target ? { target: m.target } : {}),
      ...(m.municipality ? { municipality: m.municipality } : {}),
      source: m.source,
      ...(status === 'requested'
        ? { awaitingApprovalFrom: m.approversDone.length === 0 ? 'principal' as const : m.principal.type === 'organization' ? 'second-signatory' as const : 'guardians' as const }
        : {}),
      createdAt: new Date(m.createdAt).toISOString(),
      permittedActions: actions,
    });
  }
  return out;
}

/** The four lists of the citizen's own page. Requests from guardians' children and signed organisations count as "in". */
export async function myMandates(ctx: Context, personId: string) {
  const me: PartyRef = { type: 'person', id: personId };
  const d = today(ctx);
  const minors = (await childrenOf(ctx.db, personId)).filter((c) => isMinorOn(c.id, d)).map((c) => ({ type: 'person' as const, id: c.id }));
  const orgs = (await rolesOfPerson(ctx.db, personId)).filter((r) => r.signing !== 'none').map((r) => ({ type: 'organization' as const, id: r.id }));
  const asPrincipal = await mandatesOfParties(ctx.db, [me], 'principal');
  const asAgent = await mandatesOfParties(ctx.db, [me], 'agent');
  const forOthers = await mandatesOfParties(ctx.db, [...minors, ...orgs], 'principal');
  const requested = (m: MandateRecord) => effectiveStatus(m, d) === 'requested';
  const createdByMe = (m: MandateRecord) => (m.createdBy as { id?: string }).id === personId;
  const [given, received, requestsIn, requestsOut] = await Promise.all([
    views(ctx, personId, asPrincipal.filter((m) => !requested(m))),
    views(ctx, personId, asAgent.filter((m) => !requested(m))),
    views(ctx, personId, [...asPrincipal, ...forOthers].filter((m) => requested(m) && !m.approversDone.includes(personId))),
    views(ctx, personId, [...asAgent.filter(requested), ...[...asPrincipal, ...forOthers].filter((m) => requested(m) && createdByMe(m) && m.approversDone.includes(personId))]),
  ]);
  return { given, received, requestsIn, requestsOut };
}

/** An organisation's mandates, for a person with signing rights in it. */
export async function organizationMandates(ctx: Context, personId: string, orgId: string) {
  const org: PartyRef = { type: 'organization', id: orgId };
  if (!(await ctx.index.exists(org)) || !(await onSide(ctx, personId, org))) throw notFound('No such organisation among yours.');
  const d = today(ctx);
  const asPrincipal = await mandatesOfParties(ctx.db, [org], 'principal');
  const asAgent = await mandatesOfParties(ctx.db, [org], 'agent');
  const requested = (m: MandateRecord) => effectiveStatus(m, d) === 'requested';
  return {
    given: await views(ctx, personId, asPrincipal.filter((m) => !requested(m))),
    received: await views(ctx, personId, asAgent.filter((m) => !requested(m))),
    requestsIn: await views(ctx, personId, asPrincipal.filter((m) => requested(m) && !m.approversDone.includes(personId))),
    requestsOut: await views(ctx, personId, [...asAgent.filter(requested), ...asPrincipal.filter((m) => requested(m) && m.approversDone.includes(personId))]),
  };
}

export async function getMandate(ctx: Context, personId: string, id: string) {
  const { m } = await visibleMandate(ctx, ctx.db, personId, id, false);
  return (await views(ctx, personId, [m]))[0]!;
}

export interface LogEntryView {
  at: string;
  event: string;
  actor: { type: 'person' | 'organization' | 'staff' | 'api-client' | 'system'; id?: string; name?: string; onBehalfOf?: { type: string; id: string; name?: string } };
  errandRef?: string;
  municipality?: string;
  apiClient?: string;
  details?: Record<string, unknown>;
}

/** The usage and life-cycle log of one mandate, for its principal's and agent's side only. */
export async function mandateLog(ctx: Context, personId: string, id: string): Promise<{ entries: LogEntryView[] }> {
  await visibleMandate(ctx, ctx.db, personId, id, false);
  const rows = await auditEntriesFor(ctx.db, id);
  const parties: PartyRef[] = [];
  for (const { entry } of rows) {
    if (entry.actor?.kind === 'person') parties.push({ type: 'person', id: entry.actor.id });
    if (entry.actor?.onBehalfOf) parties.push(entry.actor.onBehalfOf);
  }
  const names = await partyNames(ctx.db, parties);
  const staffNames = new Map((await ctx.db.selectFrom('staff').select(['key', 'name']).execute()).map((s) => [s.key, s.name]));
  return {
    entries: rows.map(({ entry: e }) => {
      const a = e.actor ?? {};
      const actor: LogEntryView['actor'] =
        a.kind === 'person'
          ? { type: 'person', id: a.id, name: names.get(`person:${a.id}`), ...(a.onBehalfOf ? { onBehalfOf: { ...a.onBehalfOf, name: names.get(`${a.onBehalfOf.type}:${a.onBehalfOf.id}`) } } : {}) }
          : a.kind === 'staff'
            ? { type: 'staff', id: a.key, name: staffNames.get(a.key) }
            : a.kind === 'api-client'
              ? { type: 'api-client', id: a.id }
              : { type: 'system' };
      const data = (e.data ?? {}) as Record<string, unknown>;
      const { errandRef, municipality, apiClient, ...details } = data;
      return {
        at: e.at,
        event: e.event,
        actor,
        ...(typeof errandRef === 'string' ? { errandRef } : {}),
        ...(typeof municipality === 'string' ? { municipality } : {}),
        ...(typeof apiClient === 'string' ? { apiClient } : {}),
        ...(Object.keys(details).length ? { details } : {}),
      };
    }),
  };
}
