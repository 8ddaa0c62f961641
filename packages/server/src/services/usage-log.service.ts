/**
 * The usage log a principal wants (issue 10, item 5): newest first, a page at a time, each use
 * naming the service (the catalogue's name), the e-service that used the mandate (the API client's
 * display name and municipality) and the errand's reference. One mandate's log (its uses and life
 * cycle), and one log of the uses of every mandate the person may read the log of.
 */
import {
  addDays, asMandateId, helsinkiDate, isLocalDate, permitted, refuse, standing,
  type LocalDate, type PartyRef,
} from '@puolesta/domain';
import type { Name3 } from '../db/schema.js';
import { findMandate, mandatesOfParties, type MandateRecord } from '../repositories/mandates.repository.js';
import { partyNames } from '../repositories/registers.repository.js';
import { apiClientNames, logEntries, serviceNames, servicesUsed, staffByKey, type LogCursor, type LogRow } from '../repositories/usage-log.repository.js';
import { assertAllowed, mandateFacts, type Caller } from './access.js';
import { today, type Context } from './context.js';
import { PORTAL_CLIENT } from './errands.service.js';

/** The log's names of a use (`logEventName`). */
export const USE_EVENTS = ['used', 'used-and-consumed'] as const;

/** The portal's own errands use mandates too: the e-service is the portal, in the errand's municipality. */
export const PORTAL_NAME: Name3 = { fi: 'Puolesta-asiointipalvelu', sv: 'Puolesta-e-tjänsten', en: 'Puolesta e-service portal' };

export const DEFAULT_PAGE = 50;

export interface LogEntryView {
  at: string;
  event: string;
  mandateId: string;
  actor: {
    type: 'person' | 'organization' | 'staff' | 'api-client' | 'system'; id?: string; name?: string;
    /** Staff: the caseworker's municipality. */
    municipality?: string;
    onBehalfOf?: { type: string; id: string; name?: string };
  };
  errandRef?: string;
  municipality?: string;
  apiClient?: string;
  /** The catalogue's service the errand was in. */
  service?: { code: string; name: Name3 };
  /** The e-service that used the mandate: the API client's display name (its id when it has none) and municipality. */
  eService?: { id: string; name: Name3; municipality: string };
  /** In the log across mandates: whose mandate it was, by name. */
  mandate?: { principal: string; agent: string };
  details?: Record<string, unknown>;
}

export interface LogPage { entries: LogEntryView[]; next?: string }

const encodeCursor = (c: LogCursor) => Buffer.from(`${c.at}|${c.seq}`).toString('base64url');
function decodeCursor(s: string): LogCursor {
  const [at, seq] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (!at || !seq || !/^\d+$/.test(seq) || Number.isNaN(Date.parse(at))) throw refuse('input.schema', { field: 'cursor', message: 'is not a cursor this log gave' }, 'cursor');
  return { at, seq: Number(seq) };
}

/** The instant a Finnish day begins. */
function helsinkiMidnight(d: LocalDate): Date {
  const utc = Date.parse(`${d}T00:00:00Z`);
  for (const hours of [2, 3]) {
    const t = utc - hours * 3_600_000;
    if (helsinkiDate(t) === d && helsinkiDate(t - 1) !== d) return new Date(t);
  }
  return new Date(utc);
}

function dateParam(field: string, v: string | undefined): LocalDate | undefined {
  if (v === undefined) return undefined;
  if (!isLocalDate(v)) throw refuse('input.date', { field }, field);
  return v;
}

/** Names for a page of entries, in a constant number of queries. */
async function viewsOf(ctx: Context, rows: readonly LogRow[], mandates?: ReadonlyMap<string, MandateRecord>): Promise<LogEntryView[]> {
  const parties: PartyRef[] = [];
  for (const r of rows) {
    if (r.actor.kind === 'person') parties.push({ type: 'person', id: r.actor.id });
    if (r.actor.onBehalfOf) parties.push(r.actor.onBehalfOf);
    const m = mandates?.get(r.mandateId);
    if (m) parties.push(m.principal, m.agent);
  }
  const [names, staff, clients, services] = await Promise.all([
    partyNames(ctx.db, parties),
    staffByKey(ctx.db, rows.filter((r) => r.actor.kind === 'staff').map((r) => String(r.actor.key))),
    apiClientNames(ctx.db, rows.map((r) => r.apiClient).filter((c): c is string => c !== null)),
    serviceNames(ctx.db, rows.map((r) => r.data.service).filter((s): s is string => typeof s === 'string')),
  ]);
  const nameOf = (p: PartyRef) => names.get(`${p.type}:${p.id}`) ?? '';
  return rows.map((r) => {
    const a = r.actor;
    const s = a.kind === 'staff' ? staff.get(a.key) : undefined;
    const actor: LogEntryView['actor'] =
      a.kind === 'person'
        ? { type: 'person', id: a.id, name: names.get(`person:${a.id}`), ...(a.onBehalfOf ? { onBehalfOf: { ...a.onBehalfOf, name: names.get(`${a.onBehalfOf.type}:${a.onBehalfOf.id}`) } } : {}) }
        : a.kind === 'staff'
          ? { type: 'staff', id: a.key, ...(s ? { name: s.name } : {}), ...((a.municipality ?? s?.municipality) ? { municipality: a.municipality ?? s?.municipality } : {}) }
          : a.kind === 'api-client'
            ? { type: 'api-client', id: a.id }
            : { type: 'system' };
    const { service, ...details } = r.data;
    const known = r.apiClient === null ? undefined : clients.get(r.apiClient);
    const client = r.apiClient === null ? undefined : {
      id: r.apiClient,
      name: r.apiClient === PORTAL_CLIENT ? PORTAL_NAME : known?.name ?? { fi: r.apiClient, sv: r.apiClient, en: r.apiClient },
      municipality: known?.municipality ?? r.municipality ?? '',
    };
    const m = mandates?.get(r.mandateId);
    return {
      at: r.at,
      event: r.event,
      mandateId: r.mandateId,
      actor,
      ...(r.errandRef !== null ? { errandRef: r.errandRef } : {}),
      ...(r.municipality !== null ? { municipality: r.municipality } : {}),
      ...(r.apiClient !== null ? { apiClient: r.apiClient } : {}),
      ...(typeof service === 'string' ? { service: { code: service, name: services.get(service) ?? { fi: service, sv: service, en: service } } } : {}),
      ...(client ? { eService: client } : {}),
      ...(m ? { mandate: { principal: nameOf(m.principal), agent: nameOf(m.agent) } } : {}),
      ...(Object.keys(details).length ? { details } : {}),
    };
  });
}

function page(rows: LogRow[], limit: number): { rows: LogRow[]; next?: string } {
  if (rows.length <= limit) return { rows };
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1]!;
  return { rows: shown, next: encodeCursor({ at: last.at, seq: last.seq }) };
}

/** One mandate's usage and life-cycle log, newest first, for whoever may read it (anyone else: 404). */
export async function mandateLog(ctx: Context, c: Caller, id: string, q: { cursor?: string; limit?: number } = {}): Promise<LogPage> {
  const m = await findMandate(ctx.db, asMandateId(id));
  if (!m) throw refuse('mandate.not-found');
  assertAllowed('mandate.read-log', c.actor, mandateFacts(m, c.facts, today(ctx)));
  const limit = q.limit ?? DEFAULT_PAGE;
  const p = page(await logEntries(ctx.db, { mandateIds: [m.id], limit, ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}) }), limit);
  return { entries: await viewsOf(ctx, p.rows), ...(p.next ? { next: p.next } : {}) };
}

/**
 * Every mandate whose log the person may read: given and received, and those of the parties they
 * stand for (children, wards, organisations), each as `mandate.read-log` decides.
 */
async function readableMandates(ctx: Context, c: Caller): Promise<MandateRecord[]> {
  const d = today(ctx);
  const parties: PartyRef[] = [
    { type: 'person' as const, id: c.actor.id },
    ...[...c.facts.children.keys(), ...c.facts.wards.keys()].map((id) => ({ type: 'person' as const, id })),
    ...[...c.facts.organizations.keys()].map((id) => ({ type: 'organization' as const, id })),
  ].filter((p) => standing(c.facts, p, d).kind !== 'none');
  const all = new Map<string, MandateRecord>();
  for (const m of [...await mandatesOfParties(ctx.db, parties, 'principal'), ...await mandatesOfParties(ctx.db, parties, 'agent')]) all.set(m.id, m);
  return [...all.values()].filter((m) => permitted('mandate.read-log', c.actor, mandateFacts(m, c.facts, d)));
}

export interface MyLogQuery { mandate?: string; party?: string; service?: string; from?: string; to?: string; cursor?: string; limit?: number }

/** A filter option for the other party: an opaque key (a mandate and its side), never an identity code. */
export interface PartyOption { key: string; name: string }

const sameRef = (a: PartyRef, b: PartyRef) => a.type === b.type && a.id === b.id;

/** The uses of all my mandates, newest first, filtered by mandate, other party, service and dates. */
export async function myLog(ctx: Context, c: Caller, q: MyLogQuery) {
  const d = today(ctx);
  const mandates = await readableMandates(ctx, c);
  const byId = new Map<string, MandateRecord>(mandates.map((m) => [m.id, m]));
  const mine = (p: PartyRef) => standing(c.facts, p, d).kind !== 'none';
  // The other party of each mandate: the side that is not me (or one I stand for); both when neither or both are.
  const others = (m: MandateRecord): { side: 'principal' | 'agent'; party: PartyRef }[] => {
    const out: { side: 'principal' | 'agent'; party: PartyRef }[] = [];
    if (!mine(m.principal) || mine(m.agent)) out.push({ side: 'principal', party: m.principal });
    if (!mine(m.agent) || mine(m.principal)) out.push({ side: 'agent', party: m.agent });
    return out;
  };
  const names = await partyNames(ctx.db, mandates.flatMap((m) => [m.principal, m.agent]));
  const partyOptions = new Map<string, PartyOption & { ref: PartyRef }>();
  for (const m of [...mandates].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const o of others(m)) {
      const k = `${o.party.type}:${o.party.id}`;
      if (!partyOptions.has(k)) partyOptions.set(k, { key: `${m.id}.${o.side}`, name: names.get(k) ?? '', ref: o.party });
    }
  }
  let ids: string[] = mandates.map((m) => m.id);
  if (q.mandate !== undefined) ids = byId.has(q.mandate) ? [q.mandate] : [];
  if (q.party !== undefined) {
    const [mid, side] = q.party.split('.');
    const m = mid ? byId.get(mid) : undefined;
    if (!m || (side !== 'principal' && side !== 'agent')) throw refuse('input.schema', { field: 'party', message: 'is not a party this log offered' }, 'party');
    const ref = m[side];
    ids = ids.filter((id) => { const x = byId.get(id)!; return sameRef(x.principal, ref) || sameRef(x.agent, ref); });
  }
  const from = dateParam('from', q.from);
  const to = dateParam('to', q.to);
  if (from && to && to < from) throw refuse('input.schema', { field: 'to', message: 'is before from' }, 'to');
  const limit = q.limit ?? DEFAULT_PAGE;
  const rows = await logEntries(ctx.db, {
    mandateIds: ids, events: USE_EVENTS, limit,
    ...(q.service !== undefined ? { service: q.service } : {}),
    ...(from ? { from: helsinkiMidnight(from) } : {}),
    ...(to ? { until: helsinkiMidnight(addDays(to, 1)) } : {}),
    ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
  });
  const p = page(rows, limit);
  const usedServices = await servicesUsed(ctx.db, mandates.map((m) => m.id), USE_EVENTS);
  const svcNames = await serviceNames(ctx.db, usedServices);
  const nameOf = (p: PartyRef) => names.get(`${p.type}:${p.id}`) ?? '';
  return {
    entries: await viewsOf(ctx, p.rows, byId),
    ...(p.next ? { next: p.next } : {}),
    filters: {
      mandates: mandates.map((m) => ({ id: m.id, principal: nameOf(m.principal), agent: nameOf(m.agent), issues: [...m.issues], validUntil: m.validUntil })),
      parties: [...partyOptions.values()].map(({ key, name }) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name, 'fi')),
      services: usedServices.map((code) => ({ code, name: svcNames.get(code) ?? { fi: code, sv: code, en: code } })),
    },
  };
}
