/**
 * The usage log's queries (issue 10, item 5): a mandate's entries, or the uses of many mandates,
 * newest first and a page at a time (keyset on the entry's time and its sequence number), read
 * from the tamper-evident audit log's hashed columns; and the names the log shows (the service in
 * the catalogue, the e-service's display name).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Name3 } from '../db/schema.js';

/** Where a page ends: the last entry's time and sequence number. */
export interface LogCursor { at: string; seq: number }

export interface LogRow {
  seq: number; at: string; mandateId: string; event: string; actor: Record<string, any>;
  errandRef: string | null; municipality: string | null; apiClient: string | null; data: Record<string, unknown>;
}

export interface LogQuery {
  mandateIds: readonly string[];
  /** Only these events (the log's names, e.g. `used`). */
  events?: readonly string[];
  service?: string;
  /** At or after this instant. */
  from?: Date;
  /** Before this instant. */
  until?: Date;
  /** The page after this entry (newest first). */
  after?: LogCursor;
  limit: number;
}

/** Entries of the mandates, newest first; one more than `limit` tells the caller there is a next page. */
export async function logEntries(db: Db, q: LogQuery): Promise<LogRow[]> {
  if (q.mandateIds.length === 0) return [];
  let s = db.selectFrom('audit_log')
    .select(['seq', 'at', 'mandate_id', 'event', 'actor', 'errand_ref', 'municipality', 'api_client', 'data'])
    .where('mandate_id', 'in', [...q.mandateIds]);
  if (q.events) s = s.where('event', 'in', [...q.events]);
  if (q.service !== undefined) s = s.where(sql<string>`data->>'service'`, '=', q.service);
  if (q.from) s = s.where('at', '>=', q.from);
  if (q.until) s = s.where('at', '<', q.until);
  if (q.after) {
    const { at, seq } = q.after;
    s = s.where((eb) => eb.or([eb('at', '<', new Date(at)), eb.and([eb('at', '=', new Date(at)), eb('seq', '<', seq)])]));
  }
  const rows = await s.orderBy('at', 'desc').orderBy('seq', 'desc').limit(q.limit + 1).execute();
  return rows.map((r) => ({
    seq: Number(r.seq), at: new Date(r.at).toISOString(), mandateId: r.mandate_id!, event: r.event, actor: (r.actor ?? {}) as Record<string, any>,
    errandRef: r.errand_ref, municipality: r.municipality, apiClient: r.api_client, data: (r.data ?? {}) as Record<string, unknown>,
  }));
}

/** The services the mandates' uses name (for the log's filter). */
export async function servicesUsed(db: Db, mandateIds: readonly string[], events: readonly string[]): Promise<string[]> {
  if (mandateIds.length === 0) return [];
  const rows = await db.selectFrom('audit_log').select(sql<string>`data->>'service'`.as('service')).distinct()
    .where('mandate_id', 'in', [...mandateIds]).where('event', 'in', [...events]).where(sql<string>`data->>'service'`, 'is not', null).execute();
  return rows.map((r) => r.service);
}

/** The catalogue's names of services, by code. */
export async function serviceNames(db: Db, codes: readonly string[]): Promise<Map<string, Name3>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('service_classes').select(['code', 'name']).where('code', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.code, r.name as Name3]));
}

/** API clients' display names (null when none is set) and municipalities, by id. */
export async function apiClientNames(db: Db, ids: readonly string[]): Promise<Map<string, { name: Name3 | null; municipality: string }>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('api_clients').select(['id', 'display_name', 'municipality']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { name: (r.display_name as Name3 | null) ?? null, municipality: r.municipality }]));
}

/** Staff members' names and municipalities, by key. */
export async function staffByKey(db: Db, keys: readonly string[]): Promise<Map<string, { name: string; municipality: string | null }>> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['key', 'name', 'municipality']).where('key', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.key, { name: r.name, municipality: r.municipality }]));
}
