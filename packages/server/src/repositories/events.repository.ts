import type { DomainEvent } from '@puolesta/domain';
import type { Db } from '../db/database.js';

export interface NewEvent { event: DomainEvent; actor: unknown; at: Date }

export const eventRows = (events: readonly NewEvent[]) => events.map(({ event, actor, at }) => ({
  type: event.type, payload: JSON.stringify(event), actor: JSON.stringify(actor), at,
  mandate_id: 'mandateId' in event ? event.mandateId : null,
  errand_id: 'errandId' in event ? event.errandId : null,
}));

/** Domain events, written in the command's transaction. */
export async function insertEvents(tx: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insertInto('domain_events').values(eventRows(events)).execute();
}

export async function eventsOfMandate(db: Db, mandateId: string): Promise<DomainEvent[]> {
  const rows = await db.selectFrom('domain_events').select('payload').where('mandate_id', '=', mandateId).orderBy('id').execute();
  return rows.map((r) => r.payload as DomainEvent);
}

/**
 * Of these mandates, those that waited (a request, or a grant awaiting co-approval) and never took
 * effect (no grant followed): ended while still pending. One query for a list.
 */
export async function endedWhilePending(db: Db, mandateIds: readonly string[]): Promise<Set<string>> {
  if (mandateIds.length === 0) return new Set();
  const rows = await db.selectFrom('domain_events').select(['mandate_id', 'type'])
    .where('mandate_id', 'in', [...mandateIds])
    .where('type', 'in', ['mandate.requested', 'mandate.grant-awaiting-approval', 'mandate.granted', 'mandate.registered-from-paper'])
    .execute();
  const waited = new Set<string>();
  const tookEffect = new Set<string>();
  for (const r of rows) (r.type === 'mandate.granted' || r.type === 'mandate.registered-from-paper' ? tookEffect : waited).add(r.mandate_id!);
  return new Set([...waited].filter((id) => !tookEffect.has(id)));
}
