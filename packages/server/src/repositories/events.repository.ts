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
