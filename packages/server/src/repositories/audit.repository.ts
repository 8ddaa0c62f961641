import { chainHash, verifyChain, type ChainBreak } from '@puolesta/domain';
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
  /** When it happened (the injected clock). */
  at?: Date;
}

/**
 * Appends one entry to the tamper-evident log inside the caller's transaction. The head row is
 * locked, so entries are chained one after another even when many transactions append at once.
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  const entry = { seq, at: (input.at ?? new Date()).toISOString(), mandateId: input.mandateId, event: input.event, actor: input.actor, data: input.data ?? {} };
  const hash = chainHash(head.hash, entry);
  await tx.insertInto('audit_log').values({ seq, mandate_id: input.mandateId, event: input.event, entry: JSON.stringify(entry), prev_hash: head.hash, hash }).execute();
  await tx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
}

export interface AuditEntryRow { seq: number; entry: Record<string, any> }

export async function auditEntriesFor(db: Db, mandateId: string): Promise<AuditEntryRow[]> {
  const rows = await db.selectFrom('audit_log').select(['seq', 'entry']).where('mandate_id', '=', mandateId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: Number(r.seq), entry: r.entry as Record<string, any> }));
}

/** Recomputes the whole chain; also notices entries deleted from the end (the head remembers). */
export async function verifyAuditLog(db: Db, batch = 5000): Promise<{ entries: number; break: ChainBreak | null }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  let after = 0;
  const all: { seq: number; entry: unknown; prevHash: string; hash: string }[] = [];
  for (;;) {
    const rows = await db.selectFrom('audit_log').select(['seq', 'entry', 'prev_hash', 'hash']).where('seq', '>', after).orderBy('seq').limit(batch).execute();
    for (const r of rows) all.push({ seq: Number(r.seq), entry: r.entry, prevHash: r.prev_hash, hash: r.hash });
    if (rows.length < batch) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  const br = verifyChain(all);
  if (br) return { entries: all.length, break: br };
  const last = all[all.length - 1];
  if (Number(head.seq) !== (last?.seq ?? 0) || (last && last.hash !== head.hash)) {
    return { entries: all.length, break: { seq: (last?.seq ?? 0) + 1, problem: 'missing-before' } };
  }
  return { entries: all.length, break: null };
}
