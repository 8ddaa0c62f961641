import { changesAuthorization, logEventName, tellsSomeone, type DomainEvent } from '@puolesta/domain';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { outboxChannel, prepareMessages, type MessageContext } from '../notifications/outbox.js';
import { appendAudit, type AuditActor } from '../repositories/audit.repository.js';
import { insertNotifications } from '../repositories/notifications.repository.js';
import { bumpAuthzVersion } from '../repositories/mandates.repository.js';
import type { Context, UnitOfWork } from './context.js';

export type { UnitOfWork } from './context.js';

/** What an event adds to the principal-readable log beyond its name and actor (the log's `details`). */
function auditData(e: DomainEvent): Record<string, unknown> {
  switch (e.type) {
    case 'mandate.granted': return { ...e.terms, ...(e.narrowedTo ? { narrowedTo: e.narrowedTo } : {}) };
    case 'mandate.grant-awaiting-approval':
    case 'mandate.requested': return { ...e.terms };
    case 'mandate.approved': return e.narrowedTo ? { narrowedTo: e.narrowedTo } : {};
    case 'mandate.registered-from-paper': return { ...e.terms, document: e.document };
    case 'mandate.used': return { errandRef: e.errandRef, municipality: e.municipality, apiClient: e.apiClient, ...(e.service ? { service: e.service } : {}) };
    case 'mandate.revoked': return e.writtenRequest ? { writtenRequest: e.writtenRequest } : {};
    case 'mandate.rejected': case 'mandate.renounced': return {};
    default: {
      const { type: _t, ...rest } = e;
      return rest;
    }
  }
}

/**
 * Writes what happened in the caller's transaction (`ctx.db`): each event's audit entry, the event
 * itself and the messages it gives, in one statement with the events (the outbox, decision 0010).
 * The unit of work calls it; so do the daily jobs. Returns whether any message was written.
 */
export async function writeEvents(ctx: MessageContext, events: readonly { event: DomainEvent; by: AuditActor }[], at: Date): Promise<boolean> {
  for (const { event: e, by } of events) {
    await appendAudit(ctx.db, { mandateId: 'mandateId' in e ? e.mandateId : null, event: logEventName(e), actor: by, data: auditData(e), at });
  }
  // Nothing is told that did not happen, and nothing that happened goes untold.
  const rows = events.map(({ event, by }) => ({ event, actor: by, at }));
  const messages = ctx.notify.writeMessages !== false && events.some((e) => tellsSomeone(e.event))
    ? await prepareMessages(ctx, events.map(({ event, by }) => ({ event, by, key: randomUUID() })), at)
    : [];
  return (await insertNotifications(ctx.db, messages, ctx.notify.maxAttempts, outboxChannel(ctx.h), rows)) > 0;
}

/**
 * Runs one command in one transaction: the change, its audit entries, domain events and the
 * messages they give commit together, and a change to who may act for whom bumps the authorization version. After the commit,
 * returns only once every process's index has the change (or its lease has run out).
 */
export async function inUnitOfWork<T>(ctx: Context, actor: AuditActor, work: (u: UnitOfWork) => Promise<T>): Promise<T> {
  let version = 0;
  let wroteMessages = false;
  let savepoints = 0;
  const result = await ctx.db.transaction().execute(async (tx) => {
    const events: { event: DomainEvent; by: AuditActor }[] = [];
    const u: UnitOfWork = {
      ctx: { ...ctx, db: tx },
      db: tx,
      authzVersion: async () => (version = version || (await bumpAuthzVersion(tx, ctx.index.notifyChannel))),
      emit: (event, by = actor) => { events.push({ event, by }); },
      savepoint: async (part) => {
        const mark = events.length;
        const name = `part_${++savepoints}`;
        await sql.raw(`savepoint ${name}`).execute(tx);
        try {
          const r = await part();
          await sql.raw(`release savepoint ${name}`).execute(tx);
          return r;
        } catch (err) {
          await sql.raw(`rollback to savepoint ${name}`).execute(tx);
          events.length = mark;
          throw err;
        }
      },
    };
    const out = await work(u);
    // What the events set going (an errand waiting for a granted mandate) joins the same transaction.
    if (ctx.react) for (let i = 0; i < events.length; i++) await ctx.react(u, events[i]!.event);
    if (events.some(({ event }) => changesAuthorization(event))) await u.authzVersion();
    wroteMessages = await writeEvents({ ...ctx, db: tx }, events, ctx.now());
    return out;
  });
  if (wroteMessages) ctx.notify.written?.();
  if (version) await ctx.index.afterCommit(version);
  return result;
}
