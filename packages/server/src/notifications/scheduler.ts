import { addDays, EXPIRY_WARNING_DAYS } from '@puolesta/domain';
import type { Logger } from '../logger.js';
import { claimDailyRun, finishDailyRun, mandatesEndingBetween } from '../repositories/notifications.repository.js';
import { today } from '../services/context.js';
import { writeMessages, type MessageContext, type Notice } from './outbox.js';

/** Expired mandates are told of for this many days after their last day (a node down for a few days still tells). */
const EXPIRED_CATCH_UP_DAYS = 7;

/**
 * The daily expiry job: both sides of every mandate whose last day is within 30 days are warned
 * (mandate.expiring), and of every mandate that ended in the last days told it ended
 * (mandate.expired). Exactly one node runs it a day (its row in `scheduled_runs` is taken in the
 * same transaction as the messages); a rerun writes nothing twice (each message has its key).
 * Returns the number of messages written, or null when another node had today's run.
 */
export async function runExpiryJob(ctx: MessageContext, node: string, opts: { force?: boolean } = {}): Promise<number | null> {
  const day = today(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const mine = await claimDailyRun(tx, 'mandate-expiry', day, node, ctx.now());
    if (!mine && !opts.force) return null;
    const uctx = { ...ctx, db: tx };
    const expiring = await mandatesEndingBetween(tx, day, addDays(day, EXPIRY_WARNING_DAYS), EXPIRY_WARNING_DAYS);
    const expired = await mandatesEndingBetween(tx, addDays(day, -EXPIRED_CATCH_UP_DAYS), addDays(day, -1), 0);
    const notices: Notice[] = [
      ...expiring.map((m) => ({ event: { type: 'mandate.expiring' as const, mandateId: m.id }, by: null, key: `expiring:${m.id}:${m.valid_until}` })),
      ...expired.map((m) => ({ event: { type: 'mandate.expired' as const, mandateId: m.id }, by: null, key: `expired:${m.id}:${m.valid_until}` })),
    ];
    const written = await writeMessages(uctx, notices, ctx.now());
    await finishDailyRun(tx, 'mandate-expiry', day, ctx.now());
    return written;
  }).then((n) => {
    if (n) ctx.notify.written?.();
    return n;
  });
}

/** Runs the daily jobs at start and then whenever the day (in Finland) has changed; checks every `everyMs`. */
export function scheduleDailyJobs(ctx: MessageContext, node: string, log: Logger, everyMs = 15 * 60_000): { stop(): void; ran: Promise<unknown> } {
  let last = '';
  const tick = async () => {
    const day = today(ctx);
    if (day === last) return;
    try {
      const n = await runExpiryJob(ctx, node);
      last = day;
      if (n !== null) log.info({ job: 'mandate-expiry', day, messages: n }, 'daily job ran');
    } catch (e) {
      log.warn({ err: { message: (e as Error).message } }, 'daily job failed; trying again later');
    }
  };
  const ran = tick();
  const timer = setInterval(() => { void tick(); }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), ran };
}
