import { randomBytes } from 'node:crypto';
import { auditContent, chainHash, chainVerifier, ERASED_ACTOR, personalDigest, personalPartIntact, type AuditCheckpoint, type AuditRecord, type ChainBreak } from '@puolesta/domain';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export type AuditActor =
  | { kind: 'person'; id: string; onBehalfOf?: { type: string; id: string } }
  | { kind: 'staff'; key: string; municipality: string | null }
  | { kind: 'api-client'; id: string; municipality: string }
  | { kind: 'system' }
  | { kind: 'seed' };

export interface AuditInput {
  mandateId: string | null;
  event: string;
  actor: AuditActor | Record<string, unknown>;
  data?: Record<string, unknown>;
  /** When it happened (the injected clock); now if absent. */
  at?: Date;
  /** The e-service's errand; if absent, taken from `data.errandRef`. */
  errandRef?: string;
  /** Municipality the use was made in; if absent, taken from `data.municipality`. */
  municipality?: string;
  /** API client that reported the use; if absent, taken from `data.apiClient`. */
  apiClient?: string;
}

const LIFTED = ['errandRef', 'municipality', 'apiClient'] as const;

/** Splits an input into the stored record: errandRef, municipality and apiClient become columns. */
function toRecord(seq: number, input: AuditInput): AuditRecord {
  const data: Record<string, unknown> = { ...(input.data ?? {}) };
  const lifted: Record<(typeof LIFTED)[number], string | null> = { errandRef: null, municipality: null, apiClient: null };
  for (const k of LIFTED) {
    const given = input[k];
    const inData = data[k];
    if (given !== undefined) {
      lifted[k] = given;
      delete data[k];
    } else if (typeof inData === 'string') {
      lifted[k] = inData;
      delete data[k];
    }
  }
  const salt = randomBytes(16).toString('hex');
  return {
    seq, at: (input.at ?? new Date()).toISOString(), mandateId: input.mandateId, event: input.event, actor: input.actor, ...lifted, data,
    personalSalt: salt, personalDigest: personalDigest(salt, { actor: input.actor, data }),
  };
}

type StoredRow = {
  seq: number; at: Date | string; mandate_id: string | null; event: string; actor: unknown;
  errand_ref: string | null; municipality: string | null; api_client: string | null; data: unknown;
  personal_salt: string | null; personal_digest: string;
};

/** A stored row read back, exactly as readers see it (this is what the hash is checked against). */
function fromRow(r: StoredRow): AuditRecord {
  return {
    seq: Number(r.seq), at: new Date(r.at).toISOString(), mandateId: r.mandate_id, event: r.event, actor: r.actor,
    errandRef: r.errand_ref, municipality: r.municipality, apiClient: r.api_client, data: (r.data ?? {}) as Record<string, unknown>,
    personalSalt: r.personal_salt, personalDigest: r.personal_digest,
  };
}

const COLUMNS = ['seq', 'at', 'mandate_id', 'event', 'actor', 'errand_ref', 'municipality', 'api_client', 'data', 'personal_salt', 'personal_digest'] as const;

/** The event of the entry that records an erasure; its `data.auditEntries` names the entries erased. */
export const RETENTION_ERASED_EVENT = 'retention.erased';

/**
 * Appends one entry to the tamper-evident log inside the caller's transaction. The head row is
 * locked, so entries are chained one after another even when many transactions append at once.
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  const r = toRecord(seq, input);
  const hash = chainHash(head.hash, auditContent(r));
  await tx.insertInto('audit_log').values({
    seq, at: r.at, mandate_id: r.mandateId, event: r.event, actor: JSON.stringify(r.actor),
    errand_ref: r.errandRef, municipality: r.municipality, api_client: r.apiClient, data: JSON.stringify(r.data),
    personal_salt: r.personalSalt, personal_digest: r.personalDigest, prev_hash: head.hash, hash,
  }).execute();
  await tx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
}

export interface AuditEntryRow { seq: number; entry: Record<string, any> }

/**
 * One mandate's entries as `{seq, entry: {seq, at, mandateId, event, actor, data}}`; errandRef,
 * municipality and apiClient appear in `data` as callers put them there. Everything comes from
 * hashed columns.
 */
export async function auditEntriesFor(db: Db, mandateId: string): Promise<AuditEntryRow[]> {
  const rows = await db.selectFrom('audit_log').select([...COLUMNS]).where('mandate_id', '=', mandateId).orderBy('seq').execute();
  return rows.map((row) => {
    const r = fromRow(row);
    const data: Record<string, unknown> = { ...r.data };
    for (const k of LIFTED) if (r[k] !== null) data[k] = r[k];
    return { seq: r.seq, entry: { seq: r.seq, at: r.at, mandateId: r.mandateId, event: r.event, actor: r.actor, data } };
  });
}

/** The head row: the last entry's sequence number and hash. */
export async function auditHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export interface VerifyOptions {
  /** Signed checkpoints (signatures already checked): each entry they name must exist with that hash. */
  checkpoints?: Pick<AuditCheckpoint, 'seq' | 'headHash'>[];
  /** Stop at this entry (inclusive) instead of the head. */
  upTo?: number;
  batch?: number;
}

/**
 * Recomputes the chain from every stored column; reports the first bad entry. Without `upTo` it
 * also notices entries deleted from the end (the head remembers); with checkpoints, also a log
 * truncated together with its head, or rewritten and re-hashed, up to a checkpoint.
 */
export async function verifyAuditLog(db: Db, opts: VerifyOptions = {}): Promise<{ entries: number; break: ChainBreak | null }> {
  const batch = opts.batch ?? 5000;
  const head = opts.upTo === undefined ? await auditHead(db) : undefined;
  const checkpoints = [...(opts.checkpoints ?? [])].sort((a, b) => a.seq - b.seq);
  const bySeq = new Map<number, Pick<AuditCheckpoint, 'seq' | 'headHash'>[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const v = chainVerifier();
  // Entries whose personal part is erased, until a retention entry says it erased them.
  const unrecorded = new Set<number>();
  let matched = 0;
  let entries = 0;
  const limit = opts.upTo ?? head!.seq;
  for (let after = 0; ;) {
    let q = db.selectFrom('audit_log').select([...COLUMNS, 'prev_hash', 'hash']).where('seq', '>', after);
    if (opts.upTo !== undefined) q = q.where('seq', '<=', opts.upTo);
    const rows = await q.orderBy('seq').limit(batch).execute();
    for (const row of rows) {
      entries++;
      const r = fromRow(row);
      const br = v.push({ seq: r.seq, entry: auditContent(r), prevHash: row.prev_hash, hash: row.hash });
      if (br) return { entries, break: br };
      if (!personalPartIntact(r)) return { entries, break: { seq: r.seq, problem: 'changed' } };
      if (r.personalSalt === null) unrecorded.add(r.seq);
      else if (r.event === RETENTION_ERASED_EVENT && Array.isArray(r.data.auditEntries)) for (const n of r.data.auditEntries) unrecorded.delete(Number(n));
      for (const c of bySeq.get(r.seq) ?? []) {
        if (c.headHash !== row.hash) return { entries, break: { seq: r.seq, problem: 'rewritten', after: matched } };
      }
      if (bySeq.has(r.seq)) matched = r.seq;
    }
    if (rows.length < batch) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  const last = v.last;
  // A checkpoint beyond the last entry: the log was cut short (whatever the head says).
  if (checkpoints.some((c) => c.seq > last.seq) || last.seq < limit) return { entries, break: { seq: last.seq + 1, problem: 'missing-before' } };
  if (head) {
    // The last entry was re-hashed after the fact (the head still has the hash it was appended with).
    if (head.seq === last.seq && head.hash !== last.hash) return { entries, break: { seq: last.seq, problem: 'changed' } };
    // Entries past the head: no append wrote them.
    if (head.seq < last.seq) return { entries, break: { seq: head.seq + 1, problem: 'unexpected' } };
    // A personal part erased by hand rather than by retention (which records every entry it erases).
    if (unrecorded.size) return { entries, break: { seq: Math.min(...unrecorded), problem: 'erased-unrecorded' } };
  }
  return { entries, break: null };
}

/**
 * Erases the personal part (actor, data) of every entry about these mandates or errands that still has one, inside
 * the caller's transaction: the salt goes with it, the digest stays, so the chain still verifies.
 * Returns the entries erased; the caller records them in a `retention.erased` entry (decision 0017).
 */
export async function eraseAuditPersonalParts(tx: Db, about: { mandates?: readonly string[]; errands?: readonly string[] }): Promise<number[]> {
  const mandates = [...(about.mandates ?? [])];
  const errands = [...(about.errands ?? [])];
  if (!mandates.length && !errands.length) return [];
  const rows = await tx.updateTable('audit_log')
    .set({ actor: JSON.stringify(ERASED_ACTOR), data: JSON.stringify({}), personal_salt: null })
    .where('personal_salt', 'is not', null)
    .where((eb) => eb.or([
      ...(mandates.length ? [eb('mandate_id', 'in', mandates)] : []),
      // An errand's entries have no mandate; they name the errand in their data (indexed, migration 0014).
      ...(errands.length ? [eb.and([eb('mandate_id', 'is', null), eb(sql<string>`data->>'errandId'`, 'in', errands)])] : []),
    ]))
    .returning('seq').execute();
  return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
}
