import { closedOnOrBefore, erasureDue, errandClosed, FINAL_STATUSES, helsinkiDate, localDate, mandateClosed, type LocalDate, type RetentionPolicy } from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import { eraseAuditPersonalParts } from '../repositories/audit.repository.js';
import { claimDailyRun, finishDailyRun } from '../repositories/notifications.repository.js';
import { eraseErrands, eraseMandates, errandRetentionCandidates, retentionCandidates } from '../repositories/retention.repository.js';
import { deleteIdempotencyKeysBefore } from '../repositories/idempotency.repository.js';
import type { MessageContext } from '../notifications/outbox.js';
import { writeEvents } from './unit-of-work.js';
import { today } from './context.js';

export interface RetentionRun { mandates: number; errands: number; auditEntries: number; batches: number; idempotencyKeys: number }

const SYSTEM: AuditActor = { kind: 'system' };

/**
 * The daily retention job (decision 0017): the personal data of every mandate, request or errand whose erasure is
 * due under `policy` (`mandateClosed`, `errandClosed`, `erasureDue` in packages/domain) is erased, one batch per
 * transaction: the row's parties, documents and free text, its uses, attachments, messages and events, and the
 * personal part of its audit entries (their digests stay, so the chain still verifies), with one `retention.erased`
 * entry naming the mandates, errands and audit entries (ids and counts, nothing personal). Exactly one node runs it a
 * day (`scheduled_runs`); an erased item is never taken again. Returns what it erased, or null when another node had
 * today's run.
 */
export async function runRetentionJob(ctx: MessageContext, node: string, policy: RetentionPolicy, opts: { force?: boolean; batch?: number } = {}): Promise<RetentionRun | null> {
  const day = today(ctx);
  const mine = await claimDailyRun(ctx.db, 'retention', day, node, ctx.now());
  if (!mine && !opts.force) return null;
  const batch = opts.batch ?? 200;
  const run: RetentionRun = { mandates: 0, errands: 0, auditEntries: 0, batches: 0, idempotencyKeys: 0 };

  const erase = async (kind: 'mandates' | 'errands', due: string[]) => {
    await ctx.db.transaction().execute(async (tx) => {
      const at = ctx.now();
      const m = kind === 'mandates' ? await eraseMandates(tx, due, at) : { uses: 0, messages: 0, events: 0 };
      const e = kind === 'errands' ? await eraseErrands(tx, due, at) : { attachments: 0, messages: 0, events: 0 };
      const auditEntries = await eraseAuditPersonalParts(tx, { [kind]: due });
      await writeEvents({ ...ctx, db: tx }, [{
        event: {
          type: 'retention.erased', mandates: kind === 'mandates' ? due : [], errands: kind === 'errands' ? due : [], auditEntries,
          uses: m.uses, attachments: e.attachments, messages: m.messages + e.messages, events: m.events + e.events,
        },
        by: SYSTEM,
      }], at);
      run[kind] += due.length;
      run.auditEntries += auditEntries.length;
      run.batches++;
    });
  };

  for (let after = ''; ;) {
    const candidates = await retentionCandidates(ctx.db, closedOnOrBefore(policy, day, ['request', 'mandate']), after, batch);
    if (!candidates.length) break;
    after = candidates[candidates.length - 1]!.id;
    const due = candidates.filter((c) => isDue(mandateClosed({ status: c.status, validUntil: localDate(c.validUntil), changedOn: helsinkiDate(c.changedAt) }, day), policy, day));
    if (due.length) await erase('mandates', due.map((c) => c.id));
  }
  for (let after = ''; ;) {
    const candidates = await errandRetentionCandidates(ctx.db, FINAL_STATUSES, closedOnOrBefore(policy, day, ['errand']), after, batch);
    if (!candidates.length) break;
    after = candidates[candidates.length - 1]!.id;
    const due = candidates.filter((c) => isDue(errandClosed({ status: c.status, changedOn: helsinkiDate(c.changedAt) }), policy, day));
    if (due.length) await erase('errands', due.map((c) => c.id));
  }
  // Answers to Idempotency-Keys are for retries within minutes or hours; kept a while longer, then forgotten.
  run.idempotencyKeys = await deleteIdempotencyKeysBefore(ctx.db, new Date(ctx.now().getTime() - policy.idempotencyKeyDays * 86_400_000));
  await finishDailyRun(ctx.db, 'retention', day, ctx.now());
  return run;
}

const isDue = (closed: ReturnType<typeof errandClosed>, policy: RetentionPolicy, day: LocalDate): boolean => closed !== null && erasureDue(closed, policy, day);
