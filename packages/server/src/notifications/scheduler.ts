import { addDays, answerersOf, DEFAULT_RETENTION, type RetentionPolicy, deadlinePassed, EXPIRY_WARNING_DAYS, partyAnswered, REMINDER_DAYS_BEFORE, reminderDue } from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import { errandsWithDeadlineBy, findErrand, updateErrand, type LoadedErrand } from '../repositories/errands.repository.js';
import { grantingSide } from '../services/parties.js';
import { writeEvents } from '../services/unit-of-work.js';
import type { Logger } from '../logger.js';
import { claimDailyRun, finishDailyRun, mandatesEndingBetween } from '../repositories/notifications.repository.js';
import { today } from '../services/context.js';
import { runRetentionJob } from '../services/retention.service.js';
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

/**
 * The daily errand job: those who have not answered an errand are reminded REMINDER_DAYS_BEFORE its
 * deadline (errand.reminded), and an errand whose deadline has passed expires (errand.expired: the
 * applicant and the parties are told). One node a day; each errand's change, its events and messages
 * in the job's transaction. Returns how many errands it touched, or null when another node had today's run.
 */
export async function runErrandDeadlineJob(ctx: MessageContext, node: string, opts: { force?: boolean } = {}): Promise<number | null> {
  const day = today(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const mine = await claimDailyRun(tx, 'errand-deadlines', day, node, ctx.now());
    if (!mine && !opts.force) return null;
    const jctx = { ...ctx, db: tx };
    const system: AuditActor = { kind: 'system' };
    let touched = 0;
    let told = false;
    for (const due of await errandsWithDeadlineBy(tx, addDays(day, REMINDER_DAYS_BEFORE))) {
      const l = await findErrand(tx, due.id, true);
      if (!l) continue;
      const e = l.errand;
      const base = { errandId: e.id, municipality: e.municipality, service: e.service };
      if (deadlinePassed(due.deadline, day)) {
        await updateErrand(tx, e.id, { status: 'expired', updated_at: ctx.now() });
        told = (await writeEvents(jctx, [{ event: { type: 'errand.expired', ...base }, by: system }], ctx.now())) || told;
        touched++;
      } else if (due.remindedOn === null && reminderDue(due.deadline, day)) {
        const persons = await pendingAnswerers(jctx, l);
        await updateErrand(tx, e.id, { reminded_on: day });
        if (persons.length) told = (await writeEvents(jctx, [{ event: { type: 'errand.reminded', ...base, persons, deadline: due.deadline }, by: system }], ctx.now())) || told;
        touched++;
      }
    }
    await finishDailyRun(tx, 'errand-deadlines', day, ctx.now());
    if (told) ctx.notify.written?.();
    return touched;
  });
}

/** Runs the daily jobs (expiry, errand deadlines, retention) at start and then whenever the day (in Finland) has changed; checks every `everyMs`. */
export function scheduleDailyJobs(ctx: MessageContext, node: string, log: Logger, everyMs = 15 * 60_000, retention: RetentionPolicy = DEFAULT_RETENTION): { stop(): void; ran: Promise<unknown> } {
  let last = '';
  const tick = async () => {
    const day = today(ctx);
    if (day === last) return;
    try {
      const n = await runExpiryJob(ctx, node);
      const errands = await runErrandDeadlineJob(ctx, node);
      const erased = await runRetentionJob(ctx, node, retention);
      last = day;
      if (n !== null) log.info({ job: 'mandate-expiry', day, messages: n }, 'daily job ran');
      if (errands !== null) log.info({ job: 'errand-deadlines', day, errands }, 'daily job ran');
      if (erased !== null) log.info({ job: 'retention', day, ...erased }, 'daily job ran');
    } catch (e) {
      log.warn({ err: { message: (e as Error).message } }, 'daily job failed; trying again later');
    }
  };
  const ran = tick();
  const timer = setInterval(() => { void tick(); }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), ran };
}

/** Who still has to answer: for every party not yet answered on this version, those who answer for it and have not. */
async function pendingAnswerers(ctx: MessageContext, l: LoadedErrand): Promise<string[]> {
  const out = new Set<string>();
  for (const p of l.parties) {
    const side = await grantingSide(ctx, p.ref);
    const answeredBy = l.answers.filter((a) => a.position === p.position && a.version === l.errand.version).map((a) => a.personId);
    const f = { ref: p.ref, side, answeredBy, representedByApplicant: p.represented, declined: p.declinedBy !== null };
    if (partyAnswered(f) || f.declined) continue;
    for (const id of answerersOf(f)) if (!answeredBy.includes(id)) out.add(id);
  }
  return [...out];
}
