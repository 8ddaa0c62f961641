/**
 * What only the personal data export (GDPR access, issue 11 item 9) reads: the audit entries about
 * a person and a summary of their sessions. Everything else the export shows comes from the other
 * repositories through their services.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface AuditAbout { seq: number; at: string; event: string; mandateId: string | null; errandRef: string | null; municipality: string | null; actorKind: string; byMe: boolean; data: Record<string, unknown> }

/** Audit entries the person made, or about mandates they are a side of; oldest first, at most `limit`. */
export async function auditEntriesAbout(db: Db, personId: string, mandateIds: readonly string[], limit = 5000): Promise<AuditAbout[]> {
  const rows = await db.selectFrom('audit_log')
    .select(['seq', 'at', 'event', 'mandate_id', 'errand_ref', 'municipality', 'actor', 'data'])
    .where((eb) => eb.or([
      eb(sql<string>`actor->>'id'`, '=', personId),
      ...(mandateIds.length ? [eb('mandate_id', 'in', [...mandateIds])] : []),
    ]))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const actor = (r.actor ?? {}) as Record<string, unknown>;
    return {
      seq: Number(r.seq), at: new Date(r.at).toISOString(), event: r.event, mandateId: r.mandate_id, errandRef: r.errand_ref, municipality: r.municipality,
      actorKind: String(actor.kind ?? 'system'), byMe: actor.kind === 'person' && actor.id === personId, data: (r.data ?? {}) as Record<string, unknown>,
    };
  });
}

/** How many sessions the person has open and when one was last used (never their ids). */
export async function sessionSummary(db: Db, subjectKey: string): Promise<{ count: number; lastUsedAt: string | null }> {
  const r = await db.selectFrom('sessions')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('last_seen_at').as('last')])
    .where('subject_key', '=', subjectKey)
    .executeTakeFirst();
  return { count: Number(r?.n ?? 0), lastUsedAt: r?.last ? new Date(r.last as Date).toISOString() : null };
}
