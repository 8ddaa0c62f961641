import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** What a mandate's parties read as once retention has erased them (decision 0017). */
export const ERASED_PARTY = 'erased';

export interface RetentionCandidate { id: string; status: string; validUntil: string; changedAt: Date }

/**
 * Mandates not yet erased that may have closed on or before `day` (a coarse bound: the domain's
 * `mandateClosed`/`erasureDue` decide each one), in id order after `afterId`, at most `limit`.
 */
export async function retentionCandidates(db: Db, day: string, afterId: string, limit: number): Promise<RetentionCandidate[]> {
  const rows = await db.selectFrom('mandates').select(['id', 'status', sql<string>`valid_until::text`.as('valid_until'), 'updated_at'])
    .where('erased_at', 'is', null).where('id', '>', afterId)
    .where((eb) => eb.or([
      eb.and([eb('status', 'in', ['rejected', 'revoked', 'renounced', 'consumed']), eb('updated_at', '<', sql<Date>`${day}::date + 2`)]),
      eb.and([eb('status', 'in', ['active', 'requested']), eb('valid_until', '<', day)]),
    ]))
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, status: r.status, validUntil: r.valid_until, changedAt: r.updated_at }));
}

export interface ErasedCounts { uses: number; messages: number; events: number }

/**
 * Erases the personal data of these mandates in the caller's transaction: the parties, who created it,
 * the approvers and the paper document in the row (which stays, marked erased, with its issues, dates and
 * status); its uses (who used it, in which errand); the messages about it (names and text) with their
 * deliveries; and its domain events (they name the parties). The audit entries are erased by the audit repository.
 */
export async function eraseMandates(tx: Db, ids: readonly string[], at: Date): Promise<ErasedCounts> {
  if (!ids.length) return { uses: 0, messages: 0, events: 0 };
  const list = [...ids];
  await tx.updateTable('mandates').set({
    principal_id: ERASED_PARTY, agent_id: ERASED_PARTY, created_by: JSON.stringify({ kind: 'erased' }),
    approvers_required: [], approvers_done: [], paper_document: null, erased_at: at,
  }).where('id', 'in', list).execute();
  const uses = await tx.deleteFrom('mandate_uses').where('mandate_id', 'in', list).executeTakeFirst();
  const notes = tx.selectFrom('notifications').select('id').where('mandate_id', 'in', list).where('event', 'like', 'mandate.%');
  await tx.deleteFrom('deliveries').where('notification_id', 'in', notes).execute();
  const messages = await tx.deleteFrom('notifications').where('mandate_id', 'in', list).where('event', 'like', 'mandate.%').executeTakeFirst();
  const events = await tx.deleteFrom('domain_events').where('mandate_id', 'in', list).where('type', 'like', 'mandate.%').executeTakeFirst();
  return { uses: Number(uses.numDeletedRows), messages: Number(messages.numDeletedRows), events: Number(events.numDeletedRows) };
}

/** Errands (and party requests) not yet erased in one of `statuses` whose last change may be on or before `day` (coarse; the domain decides), by id. */
export async function errandRetentionCandidates(db: Db, statuses: readonly string[], day: string, afterId: string, limit: number): Promise<{ id: string; status: string; changedAt: Date }[]> {
  const rows = await db.selectFrom('errands').select(['id', 'status', 'updated_at'])
    .where('erased_at', 'is', null).where('id', '>', afterId).where('status', 'in', [...statuses])
    .where('updated_at', '<', sql<Date>`${day}::date + 2`)
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, status: r.status, changedAt: r.updated_at }));
}

export interface ErasedErrandCounts { attachments: number; messages: number; events: number }

/**
 * Erases the personal data of these errands in the caller's transaction: in the row who applied, for whom, on what
 * basis, the form's data, the document, the information request and the decision (the row stays, marked erased, with
 * its reference, municipality, service, status and times); its parties (who, contact, decline reason), answers and
 * attachments (bytes and names); the messages about it with their deliveries; its domain events.
 */
export async function eraseErrands(tx: Db, ids: readonly string[], at: Date): Promise<ErasedErrandCounts> {
  if (!ids.length) return { attachments: 0, messages: 0, events: 0 };
  const list = [...ids];
  await tx.updateTable('errands').set({
    applicant_id: null, subject: JSON.stringify({ type: 'erased', id: ERASED_PARTY }), principal: null, basis: null,
    data: JSON.stringify({}), document: null, information_request: null, decision: null, erased_at: at,
  }).where('id', 'in', list).execute();
  await tx.deleteFrom('errand_answers').where('errand_id', 'in', list).execute();
  await tx.deleteFrom('errand_parties').where('errand_id', 'in', list).execute();
  const attachments = await tx.deleteFrom('errand_attachments').where('errand_id', 'in', list).executeTakeFirst();
  const notes = tx.selectFrom('notifications').select('id').where('errand_id', 'in', list);
  await tx.deleteFrom('deliveries').where('notification_id', 'in', notes).execute();
  const messages = await tx.deleteFrom('notifications').where('errand_id', 'in', list).executeTakeFirst();
  const events = await tx.deleteFrom('domain_events').where('errand_id', 'in', list).executeTakeFirst();
  return { attachments: Number(attachments.numDeletedRows), messages: Number(messages.numDeletedRows), events: Number(events.numDeletedRows) };
}
