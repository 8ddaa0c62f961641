import { closedOnOrBefore, erasureDue, helsinkiDate, localDate, mandateClosed, type RetentionPolicy } from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import { eraseAuditPersonalParts } from '../repositories/audit.repository.js';
import { claimDailyRun, finishDailyRun } from '../repositories/notifications.repository.js';
import { eraseMandates, retentionCandidates } from '../repositories/retention.repository.js';
import type { MessageContext } from '../notifications/outbox.js';
import { writeEvents } from './unit-of-work.js';
import { today } from './context.js';

export interface RetentionRun { mandates: number; auditEntries: number; batches: number }

/**
 * The daily retention job (decision 0017): the personal data of every mandate or request whose
 * erasure is due under `policy` (`mandateClosed`, `erasureDue` in packages/domain) is erased, one
 * batch per transaction: the mandate row's parties and documents, its uses, messages and events, and
 * the personal part of its audit entries (their digests stay, so the chain still verifies), with one
 * `retention.erased` entry naming the mandates and audit entries (ids and counts, nothing personal).
 * Exactly one node runs it a day (`scheduled_runs`); an erased mandate is never taken again.
 * Returns what it erased, or null when another node had today's run.
 */
export async function runRetentionJob(ctx: MessageContext, node: string, policy: RetentionPolicy, opts: { force?: boolean; batch?: number } = {}): Promise<RetentionRun | null> {
  const day = today(ctx);
  const mine = await claimDailyRun(ctx.db, 'retention', day, node, ctx.now());
  if (!mine && !opts.force) return null;
  const batch = opts.batch ?? 200;
  const bound = closedOnOrBefore(policy, day);
  const system: AuditActor = { kind: 'system' };
  const run: RetentionRun = { mandates: 0, auditEntries: 0, batches: 0 };
  for (let after = ''; ;) {
    const candidates = await retentionCandidates(ctx.db, bound, after, batch);
    if (!candidates.length) break;
    after = candidates[candidates.length - 1]!.id;
    const due = candidates.filter((c) => {
      const closed = mandateClosed({ status: c.status, validUntil: localDate(c.validUntil), changedOn: helsinkiDate(c.changedAt) }, day);
      return closed !== null && erasureDue(closed, policy, day);
    }).map((c) => c.id);
    if (!due.length) continue;
    await ctx.db.transaction().execute(async (tx) => {
      const at = ctx.now();
      const counts = await eraseMandates(tx, due, at);
      const auditEntries = await eraseAuditPersonalParts(tx, due);
      await writeEvents({ ...ctx, db: tx }, [{ event: { type: 'retention.erased', mandates: due, auditEntries, ...counts }, by: system }], at);
      run.mandates += due.length;
      run.auditEntries += auditEntries.length;
      run.batches++;
    });
  }
  await finishDailyRun(ctx.db, 'retention', day, ctx.now());
  return run;
}
