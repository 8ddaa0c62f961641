import { sql, type QueryCreator } from 'kysely';
import type { ContactChannel } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { eventRows, insertEvents, type NewEvent } from './events.repository.js';

// ---- contact settings ----------------------------------------------------------------------------

/** A person's contact settings: their own, or what the population register gives by default. */
export interface Contact {
  personId: string;
  name: string;
  municipality: string | null;
  language: string;
  preferredChannel: ContactChannel;
  email: string | null;
  phone: string | null;
  notifyEveryUse: boolean;
  /** Saved by the person (false: the register's defaults). */
  own: boolean;
}

const CHANNEL_SET = new Set(['suomifi', 'email', 'sms', 'paper']);

/** Contact settings of many persons in one query (persons not in the register are left out). */
export async function contactsOf(db: Db, personIds: readonly string[]): Promise<Map<string, Contact>> {
  const out = new Map<string, Contact>();
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('persons as p').leftJoin('contact_settings as s', 's.person_id', 'p.id')
    .select(['p.id', 'p.first_name', 'p.last_name', 'p.municipality', 'p.language', 'p.contact',
      's.person_id as own', 's.preferred_channel', 's.email', 's.phone', 's.language as own_language', 's.notify_every_use'])
    .where('p.id', 'in', ids).execute();
  for (const r of rows) {
    const reg = (r.contact ?? {}) as { preferredChannel?: string; email?: string | null; phone?: string | null };
    const own = r.own !== null;
    const channel = own ? r.preferred_channel! : (reg.preferredChannel ?? 'suomifi');
    out.set(r.id, {
      personId: r.id,
      name: `${r.first_name} ${r.last_name}`,
      municipality: r.municipality,
      language: own ? r.own_language! : r.language,
      preferredChannel: (CHANNEL_SET.has(channel) ? channel : 'suomifi') as ContactChannel,
      email: own ? r.email ?? null : reg.email ?? null,
      phone: own ? r.phone ?? null : reg.phone ?? null,
      notifyEveryUse: own ? !!r.notify_every_use : false,
      own,
    });
  }
  return out;
}

export async function saveContactSettings(db: Db, s: { personId: string; preferredChannel: string; email: string | null; phone: string | null; language: string; notifyEveryUse: boolean; at: Date }): Promise<void> {
  const values = { preferred_channel: s.preferredChannel, email: s.email, phone: s.phone, language: s.language, notify_every_use: s.notifyEveryUse, updated_at: s.at };
  await db.insertInto('contact_settings').values({ person_id: s.personId, ...values })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values)).execute();
}

// ---- the inbox -------------------------------------------------------------------------------------

export interface NewNotification {
  id: string;
  key: string;
  recipientId: string;
  municipality: string | null;
  event: string;
  language: string;
  subject: string;
  body: string;
  html: string;
  sms: string;
  link: string;
  chain: string[];
  mandateId: string | null;
  errandId: string | null;
  at: Date;
}

/**
 * Writes messages and the first delivery of each (its first channel), in the caller's transaction, in
 * one statement — with the command's domain events when given (the unit of work), so that telling
 * costs no round trip of its own beyond reading the recipients' settings. With `notifyChannel` the
 * same statement NOTIFYs the workers (delivered on commit). A message whose key exists already is
 * left as it is (a rerun of a scheduled job; a command's messages have fresh keys and are inserted
 * plainly). Returns how many messages were new.
 */
export async function insertNotifications(tx: Db, rows: readonly NewNotification[], maxAttempts: number, notifyChannel: string | null = null, events: readonly NewEvent[] = []): Promise<number> {
  if (rows.length === 0) {
    await insertEvents(tx, events);
    return 0;
  }
  // A data-modifying CTE runs whether or not the rest reads it.
  const base: QueryCreator<Database> = events.length
    ? (tx.with('e', (db) => db.insertInto('domain_events').values(eventRows(events)).returning('id')) as unknown as QueryCreator<Database>)
    : tx;
  const r = await base
    .with('n', (db) => db.insertInto('notifications').values(rows.map((n) => ({
      id: n.id, key: n.key, recipient_id: n.recipientId, municipality: n.municipality, event: n.event, language: n.language,
      subject: n.subject, body: n.body, html: n.html, sms: n.sms, link: n.link, chain: n.chain,
      mandate_id: n.mandateId, errand_id: n.errandId, created_at: n.at,
    }))).$if(events.length === 0, (q) => q.onConflict((oc) => oc.column('key').doNothing())).returning(['id', 'chain', 'municipality', 'created_at']))
    .with('d', (db) => db.insertInto('deliveries')
      .columns(['notification_id', 'channel', 'status', 'max_attempts', 'next_attempt_at', 'municipality', 'created_at'])
      .expression((eb) => eb.selectFrom('n')
        .select(['n.id', sql<string>`n.chain[1]`.as('channel'), sql<string>`'pending'`.as('status'), sql<number>`${maxAttempts}::int`.as('max_attempts'),
          'n.created_at as next_attempt_at', 'n.municipality', 'n.created_at'])
        .where(sql<boolean>`cardinality(n.chain) > 0`))
      .returning('notification_id'))
    .selectFrom('n')
    .select((eb) => [
      eb.fn.countAll<number>().as('written'),
      sql<unknown>`case when ${notifyChannel}::text is not null and count(*) > 0 then pg_notify(${notifyChannel}::text, '') end`.as('notified'),
    ])
    .executeTakeFirstOrThrow();
  return Number(r.written);
}

export interface InboxMessage {
  id: string; event: string; subject: string; body: string; created_at: Date; read_at: Date | null;
  mandate_id: string | null; errand_id: string | null;
  channels: { channel: string; status: string }[];
}

/** One person's messages, newest first, with each delivery's channel and status. */
export async function messagesOf(db: Db, personId: string, limit: number): Promise<InboxMessage[]> {
  const rows = await db.selectFrom('notifications').select(['id', 'event', 'subject', 'body', 'created_at', 'read_at', 'mandate_id', 'errand_id'])
    .where('recipient_id', '=', personId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  const channels = new Map<string, { channel: string; status: string }[]>();
  if (rows.length) {
    const ds = await db.selectFrom('deliveries').select(['notification_id', 'channel', 'status'])
      .where('notification_id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
    for (const d of ds) {
      const list = channels.get(d.notification_id) ?? [];
      list.push({ channel: d.channel, status: d.status });
      channels.set(d.notification_id, list);
    }
  }
  return rows.map((r) => ({ ...r, channels: channels.get(r.id) ?? [] }));
}

export async function unreadCount(db: Db, personId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_id', '=', personId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function notificationRecipient(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('notifications').select('recipient_id').where('id', '=', id).executeTakeFirst())?.recipient_id;
}

export async function markRead(db: Db, id: string, at: Date): Promise<Date> {
  const r = await db.updateTable('notifications').set({ read_at: sql<Date>`coalesce(read_at, ${at})` }).where('id', '=', id).returning('read_at').executeTakeFirstOrThrow();
  return r.read_at!;
}

// ---- the outbox ------------------------------------------------------------------------------------

export interface ClaimedDelivery {
  id: number;
  notificationId: string;
  channel: string;
  attempts: number;
  maxAttempts: number;
  recipientId: string;
  language: string;
  subject: string;
  body: string;
  html: string;
  sms: string;
  link: string;
  chain: string[];
  municipality: string | null;
  /** The errand the message is about (its contact details corrected for it go with it). */
  errandId: string | null;
}

/**
 * Claims up to `limit` due deliveries for `node` (waiting ones, and ones whose worker's lease ran out):
 * rows another worker is claiming are skipped, never waited for. A claim is a lease: until
 * `leaseUntil` no other worker takes the row; a worker that dies leaves it to be taken after that.
 */
export async function claimDeliveries(db: Db, o: { node: string; now: Date; leaseUntil: Date; limit: number }): Promise<ClaimedDelivery[]> {
  const r = await sql<{
    id: number; notification_id: string; channel: string; attempts: number; max_attempts: number; recipient_id: string;
    language: string; subject: string; body: string; html: string; sms: string; link: string; chain: string[]; municipality: string | null; errand_id: string | null;
  }>`
    with due as (
      select id from deliveries
      where status in ('pending', 'sending') and next_attempt_at <= ${o.now}
      order by next_attempt_at
      limit ${o.limit}
      for update skip locked
    )
    update deliveries d
    set status = 'sending', locked_by = ${o.node}, attempts = d.attempts + 1, next_attempt_at = ${o.leaseUntil}
    from due, notifications n
    where d.id = due.id and n.id = d.notification_id
    returning d.id, d.notification_id, d.channel, d.attempts, d.max_attempts, n.recipient_id, n.language,
      n.subject, n.body, n.html, n.sms, n.link, n.chain, d.municipality, n.errand_id`.execute(db);
  return r.rows.map((x) => ({
    id: Number(x.id), notificationId: x.notification_id, channel: x.channel, attempts: x.attempts, maxAttempts: x.max_attempts,
    recipientId: x.recipient_id, language: x.language, subject: x.subject, body: x.body, html: x.html, sms: x.sms, link: x.link,
    chain: x.chain, municipality: x.municipality, errandId: x.errand_id,
  }));
}

/** Marks deliveries done; only rows this node still holds (a lease lost to another worker is theirs). */
export async function markDelivered(db: Db, node: string, done: readonly { id: number; providerId: string }[], at: Date): Promise<void> {
  if (done.length === 0) return;
  const ids = done.map((d) => d.id);
  const providers = done.map((d) => d.providerId);
  await sql`
    update deliveries d set status = 'delivered', provider_id = v.provider_id, finished_at = ${at}, last_error = null
    from unnest(${ids}::bigint[], ${providers}::text[]) as v(id, provider_id)
    where d.id = v.id and d.locked_by = ${node} and d.status = 'sending'`.execute(db);
}

/** A passing fault: try again at `next`, or give up (dead letter) after the last try. */
export async function markRetry(db: Db, node: string, id: number, o: { next: Date; error: string; dead: boolean; at: Date }): Promise<void> {
  await db.updateTable('deliveries')
    .set(o.dead ? { status: 'dead', last_error: o.error, finished_at: o.at } : { status: 'pending', last_error: o.error, next_attempt_at: o.next })
    .where('id', '=', id).where('locked_by', '=', node).where('status', '=', 'sending').execute();
}

/**
 * This channel cannot reach the person: the delivery ends `unavailable` and the next channel of the
 * chain gets a delivery of its own, at once; at the chain's end the delivery ends `failed` (the
 * message stays in the inbox). One transaction.
 */
export async function markUnavailable(db: Db, node: string, d: ClaimedDelivery, o: { next: string | null; error: string; at: Date }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('deliveries')
      .set({ status: o.next ? 'unavailable' : 'failed', last_error: o.error, finished_at: o.at })
      .where('id', '=', d.id).where('locked_by', '=', node).where('status', '=', 'sending').executeTakeFirst();
    if (o.next && Number(r.numUpdatedRows) === 1) {
      await tx.insertInto('deliveries').values({
        notification_id: d.notificationId, channel: o.next, status: 'pending', max_attempts: d.maxAttempts,
        next_attempt_at: o.at, municipality: d.municipality, created_at: o.at,
      }).onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing()).execute();
    }
  });
}

/** Deliveries not delivered (waiting, being sent, failed, dead-lettered), of one municipality's residents or of all. */
export async function troubledDeliveries(db: Db, municipality: string | null, limit: number) {
  let q = db.selectFrom('deliveries as d').innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .select(['d.id', 'd.notification_id', 'd.channel', 'd.status', 'd.attempts', 'd.max_attempts', 'd.next_attempt_at', 'd.last_error',
      'd.municipality', 'd.created_at', 'd.finished_at', 'n.event', 'n.mandate_id', 'n.errand_id', 'n.language'])
    .where('d.status', 'in', ['pending', 'sending', 'failed', 'dead']);
  if (municipality !== null) q = q.where('d.municipality', '=', municipality);
  return q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
}

export async function deliveryMunicipality(db: Db, id: number): Promise<{ municipality: string | null; status: string; channel: string } | undefined> {
  return db.selectFrom('deliveries').select(['municipality', 'status', 'channel']).where('id', '=', id).executeTakeFirst();
}

/** Sends a failed or dead-lettered delivery again, from its first try. */
export async function requeueDelivery(db: Db, id: number, at: Date): Promise<boolean> {
  const r = await db.updateTable('deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: at, finished_at: null, locked_by: null })
    .where('id', '=', id).where('status', 'in', ['failed', 'dead']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** For /metrics: deliveries by channel and status, and the oldest undelivered one's creation time. */
export async function deliveryStats(db: Db) {
  const counts = await db.selectFrom('deliveries').select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['channel', 'status']).execute();
  const oldest = await db.selectFrom('deliveries').select((eb) => eb.fn.min('created_at').as('at'))
    .where('status', 'in', ['pending', 'sending']).executeTakeFirst();
  return { counts: counts.map((c) => ({ ...c, n: Number(c.n) })), oldestUndelivered: oldest?.at ? new Date(oldest.at as unknown as string) : null };
}

// ---- daily jobs ------------------------------------------------------------------------------------

/** Takes today's run of a daily job for this node; false when another node (or an earlier run) has it. */
export async function claimDailyRun(db: Db, job: string, day: string, node: string, at: Date): Promise<boolean> {
  const r = await db.insertInto('scheduled_runs').values({ job, day, node, started_at: at })
    .onConflict((oc) => oc.columns(['job', 'day']).doNothing()).returning('job').execute();
  return r.length === 1;
}

export async function finishDailyRun(db: Db, job: string, day: string, at: Date): Promise<void> {
  await db.updateTable('scheduled_runs').set({ finished_at: at }).where('job', '=', job).where('day', '=', day).execute();
}

/** Active mandates whose last day is in [from, to] and that were valid for at least `minDays` (a short one gets no warning). */
export async function mandatesEndingBetween(db: Db, from: string, to: string, minDays: number) {
  return db.selectFrom('mandates').select(['id', 'valid_until'])
    .where('status', '=', 'active').where('valid_until', '>=', from).where('valid_until', '<=', to)
    .where(sql<boolean>`valid_from <= valid_until - ${minDays}::int`)
    .orderBy('valid_until').orderBy('id')
    .execute();
}
