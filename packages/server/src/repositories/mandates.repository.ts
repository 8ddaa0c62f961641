import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { asMunicipalityCode, type LocalDate, type Mandate, type MandateId, type PartyRef, type StoredStatus } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';

export type MandateRow = Selectable<Database['mandates']>;

export interface MandateRecord extends Mandate {
  readonly bundle: string | null;
  readonly source: string;
  readonly createdBy: Record<string, unknown>;
  readonly approversRequired: readonly string[];
  readonly approversDone: readonly string[];
  readonly paperDocument: Record<string, unknown> | null;
  readonly createdAt: Date;
  readonly changeVersion: number;
}

export function toMandate(r: MandateRow): MandateRecord {
  return {
    id: r.id as MandateId,
    principal: { type: r.principal_type, id: r.principal_id },
    agent: { type: r.agent_type, id: r.agent_id },
    issues: r.issues,
    validFrom: r.valid_from as LocalDate,
    validUntil: r.valid_until as LocalDate,
    status: r.status as StoredStatus,
    oneOff: r.one_off,
    target: r.target_type ? { type: 'property', id: r.target_id! } : null,
    municipality: r.municipality === null ? null : asMunicipalityCode(r.municipality),
    bundle: r.bundle,
    source: r.source,
    createdBy: r.created_by as Record<string, unknown>,
    approversRequired: r.approvers_required,
    approversDone: r.approvers_done,
    paperDocument: r.paper_document as Record<string, unknown> | null,
    createdAt: r.created_at,
    changeVersion: Number(r.change_version),
  };
}

export async function findMandate(db: Db, id: MandateId, lock = false): Promise<MandateRecord | undefined> {
  let q = db.selectFrom('mandates').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && toMandate(r);
}

export async function mandatesBetween(db: Db, agent: PartyRef, principal: PartyRef): Promise<MandateRecord[]> {
  const rows = await db.selectFrom('mandates').selectAll()
    .where('agent_id', '=', agent.id).where('agent_type', '=', agent.type)
    .where('principal_id', '=', principal.id).where('principal_type', '=', principal.type)
    .execute();
  return rows.map(toMandate);
}

export async function mandatesOfParties(db: Db, parties: readonly PartyRef[], side: 'principal' | 'agent'): Promise<MandateRecord[]> {
  if (parties.length === 0) return [];
  const rows = await db.selectFrom('mandates').selectAll()
    .where((eb) => eb.or(parties.map((p) => eb.and([eb(`${side}_id`, '=', p.id), eb(`${side}_type`, '=', p.type)]))))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toMandate);
}

export async function mandatesChangedSince(db: Db, version: number): Promise<MandateRecord[]> {
  const rows = await db.selectFrom('mandates').selectAll().where('change_version', '>', version).execute();
  return rows.map(toMandate);
}

/**
 * Bumps the authorization change counter inside the caller's transaction and tells every
 * process (NOTIFY is delivered at commit). Returns the new version to stamp on changed rows.
 */
export async function bumpAuthzVersion(tx: Db, channel: string): Promise<number> {
  const r = await tx.updateTable('authz_state').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', 1).returning('version').executeTakeFirstOrThrow();
  const v = Number(r.version);
  await sql`select pg_notify(${channel}, ${String(v)})`.execute(tx);
  return v;
}

export interface NewMandate {
  id: string; principal: PartyRef; agent: PartyRef; issues: readonly string[]; bundle: string | null;
  validFrom: LocalDate; validUntil: LocalDate; status: StoredStatus; oneOff: boolean;
  target: { type: 'property'; id: string } | null; municipality: string | null; source: 'electronic' | 'request' | 'paper';
  createdBy: unknown; version: number; approversRequired: readonly string[]; approversDone: readonly string[]; paperDocument?: unknown;
}

export async function insertMandate(tx: Db, m: NewMandate): Promise<void> {
  await tx.insertInto('mandates').values({
    id: m.id, principal_type: m.principal.type, principal_id: m.principal.id, agent_type: m.agent.type, agent_id: m.agent.id,
    issues: [...m.issues], bundle: m.bundle, valid_from: m.validFrom, valid_until: m.validUntil, status: m.status, one_off: m.oneOff,
    target_type: m.target?.type ?? null, target_id: m.target?.id ?? null, municipality: m.municipality, source: m.source,
    created_by: JSON.stringify(m.createdBy), approvers_required: [...m.approversRequired], approvers_done: [...m.approversDone],
    paper_document: m.paperDocument === undefined ? null : JSON.stringify(m.paperDocument), change_version: m.version,
  }).execute();
}

/** Changes a mandate row (optionally only while it has `onlyIfStatus`). */
export async function updateMandate(tx: Db, id: string, set: Updateable<Database['mandates']>, onlyIfStatus?: StoredStatus): Promise<void> {
  let q = tx.updateTable('mandates').set(set).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', '=', onlyIfStatus);
  await q.execute();
}

export async function insertUse(tx: Db, use: Insertable<Database['mandate_uses']>) {
  return tx.insertInto('mandate_uses').values(use).returning(['id', 'at']).executeTakeFirstOrThrow();
}
