import { randomUUID } from 'node:crypto';
import { retryDelayMs } from '@puolesta/domain';
import { isUnavailable, type DatabaseHandle, type Listener } from '../db/database.js';
import { outboxChannel } from './outbox.js';
import type { Logger } from '../logger.js';
import { correctedContacts } from '../repositories/errands.repository.js';
import { contactsOf, claimDeliveries, markDelivered, markRetry, markUnavailable, type ClaimedDelivery, type Contact } from '../repositories/notifications.repository.js';
import type { ChannelAdapter, ChannelName, DeliveryResult, Language, OutgoingMessage } from './types.js';
import type { DeliveryMetrics } from './metrics.js';

export interface WorkerOptions {
  /** Deliveries claimed at a time. */
  batchSize: number;
  /** How many of a batch are sent at once. */
  concurrency: number;
  /** A claimed delivery is this worker's for this long; if it dies, another takes it after. */
  leaseMs: number;
  /** Backoff: the first retry waits about this long, doubling up to `retryMaxMs` (with jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** When idle, look for due deliveries this often (a commit in this process, or a NOTIFY, wakes it sooner). */
  pollMs: number;
  /** This worker's name in the outbox (`locked_by`). */
  node?: string;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { batchSize: 50, concurrency: 10, leaseMs: 60_000, retryBaseMs: 30_000, retryMaxMs: 6 * 3600_000, pollMs: 1000 };

/**
 * Delivers the outbox: claims due deliveries (FOR UPDATE SKIP LOCKED, leased), sends each through
 * its channel's adapter, and records the result — delivered; a passing fault retried later with
 * backoff and jitter, dead-lettered after the last try; a channel that cannot reach the person
 * handing over to the next channel of the message's chain. Any number of workers may run over one
 * database; none takes a row another holds.
 */
export class DeliveryWorker {
  readonly node: string;
  private readonly o: WorkerOptions;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pokes = 0;
  private listener: Listener | null = null;
  private failing = false;

  constructor(
    private readonly h: DatabaseHandle,
    private readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>,
    private readonly deps: { log: Logger; now: () => Date; metrics?: DeliveryMetrics; municipalityName?: (code: string, lang: Language) => string | null },
    opts: Partial<WorkerOptions> = {},
  ) {
    this.o = { ...DEFAULT_WORKER_OPTIONS, ...opts };
    this.node = this.o.node ?? `worker-${randomUUID().slice(0, 8)}`;
  }

  /** Something was written: look now rather than at the next poll. */
  nudge(): void {
    this.pokes++;
    this.wake?.();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.h.kind === 'postgres') {
      // Commits in other processes NOTIFY: a message written by any API process is sent at once.
      try {
        this.listener = await this.h.newListener();
        await this.listener.listen(outboxChannel(this.h)!, () => this.nudge());
        this.listener.onReconnect?.(() => this.nudge());
      } catch (e) {
        this.deps.log.warn({ err: { message: (e as Error).message } }, 'outbox: no change notifications, polling only');
      }
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.listener?.close().catch(() => {});
    this.listener = null;
  }

  private async run(): Promise<void> {
    const inHand = new Set<Promise<void>>();
    while (this.running) {
      const pokesBefore = this.pokes;
      let handled = 0;
      let tail!: () => void;
      const tailReached = new Promise<'tail'>((res) => { tail = () => res('tail'); });
      const batch: Promise<void> = this.runOnce(tail).then(
        (n) => {
          handled = n;
          if (this.failing) { this.failing = false; this.deps.log.info('outbox: database reachable again'); }
        },
        (e: unknown) => {
          if (!this.failing) this.deps.log.warn({ err: { message: (e as Error).message }, unavailable: isUnavailable(e) }, 'outbox: claiming failed; trying again');
          this.failing = true;
        },
      ).finally(() => { inHand.delete(batch); });
      inHand.add(batch);
      // A full batch whose last sends are under way: claim the next one now, so that the channel never
      // waits for the database between batches (at most two batches in hand).
      if ((await Promise.race([tailReached, batch.then(() => 'done' as const)])) === 'tail') {
        if (inHand.size >= 2) await Promise.race(inHand);
        continue;
      }
      if (!this.running) break;
      if (handled >= this.o.batchSize || this.pokes !== pokesBefore) continue;
      await new Promise<void>((res) => {
        const t = setTimeout(res, this.failing ? Math.max(this.o.pollMs, 1000) : this.o.pollMs);
        this.wake = () => { clearTimeout(t); res(); };
      });
      this.wake = null;
    }
    await Promise.all(inHand);
  }

  /**
   * Claims one batch and delivers it; returns how many deliveries it handled. `onTail` is called once
   * a full batch has its last deliveries under way (the loop then claims the next batch meanwhile).
   */
  async runOnce(onTail?: () => void): Promise<number> {
    const now = this.deps.now();
    const batch = await claimDeliveries(this.h.db, { node: this.node, now, leaseUntil: new Date(now.getTime() + this.o.leaseMs), limit: this.o.batchSize });
    if (batch.length === 0) return 0;
    const contacts = await contactsOf(this.h.db, batch.map((d) => d.recipientId));
    // Contact details a party's applicant corrected for that errand go to that errand's messages.
    const about = batch.filter((d) => d.errandId).map((d) => ({ errandId: d.errandId!, personId: d.recipientId }));
    const corrected = await correctedContacts(this.h.db, about);
    const delivered: { id: number; providerId: string; channel: string }[] = [];
    const lanes = Math.min(this.o.concurrency, batch.length);
    let next = 0;
    const lane = async () => {
      while (next < batch.length) {
        const d = batch[next++]!;
        if (onTail && batch.length === this.o.batchSize && next > batch.length - lanes) { onTail(); onTail = undefined; }
        const base = contacts.get(d.recipientId);
        const fix = d.errandId ? corrected.get(`${d.errandId}:${d.recipientId}`) : undefined;
        const contact = base && fix ? { ...base, ...(fix.email ? { email: fix.email } : {}), ...(fix.phone ? { phone: fix.phone } : {}) } : base;
        const result = await this.deliver(d, contact);
        if (result.status === 'delivered') delivered.push({ id: d.id, providerId: result.providerId, channel: d.channel });
        else await this.settle(d, result);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    await markDelivered(this.h.db, this.node, delivered, this.deps.now());
    for (const d of delivered) this.deps.metrics?.delivered(d.channel);
    return batch.length;
  }

  /** Runs batches until nothing is due (tests, the benchmark). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
  }

  private async deliver(d: ClaimedDelivery, contact: Contact | undefined): Promise<DeliveryResult> {
    const adapter = this.channels.get(d.channel as ChannelName);
    if (!adapter) return { status: 'unavailable', reason: `no ${d.channel} channel configured` };
    if (!contact) return { status: 'unavailable', reason: 'recipient not in the register' };
    const language = d.language as Language;
    const m: OutgoingMessage = {
      idempotencyKey: `${d.notificationId}.${d.channel}`,
      language, subject: d.subject, text: d.body, html: d.html, sms: d.sms, link: d.link,
      recipient: {
        personId: contact.personId, name: contact.name, email: contact.email, phone: contact.phone,
        municipality: contact.municipality,
        municipalityName: contact.municipality ? (this.deps.municipalityName?.(contact.municipality, language) ?? null) : null,
      },
      senderMunicipality: d.municipality,
      sentAt: this.deps.now(),
    };
    try {
      return await adapter.deliver(m);
    } catch (e) {
      // An adapter should answer, not throw; a throw is a passing fault until proven otherwise.
      return { status: 'retry', reason: (e as Error).message.slice(0, 200) };
    }
  }

  private async settle(d: ClaimedDelivery, r: Exclude<DeliveryResult, { status: 'delivered' }>): Promise<void> {
    const at = this.deps.now();
    if (r.status === 'unavailable') {
      const i = d.chain.indexOf(d.channel);
      const nextChannel = i >= 0 && i + 1 < d.chain.length ? d.chain[i + 1]! : null;
      await markUnavailable(this.h.db, this.node, d, { next: nextChannel, error: r.reason, at });
      this.deps.metrics?.failed(d.channel, nextChannel ? 'unavailable' : 'failed');
      if (nextChannel) this.nudge();
      return;
    }
    const dead = d.attempts >= d.maxAttempts;
    const wait = retryDelayMs(d.attempts, this.o.retryBaseMs, this.o.retryMaxMs, Math.random());
    await markRetry(this.h.db, this.node, d.id, { next: new Date(at.getTime() + wait), error: r.reason, dead, at });
    this.deps.metrics?.failed(d.channel, dead ? 'dead' : 'retry');
    if (dead) this.deps.log.warn({ delivery: d.id, channel: d.channel, attempts: d.attempts }, 'outbox: delivery dead-lettered');
  }
}
