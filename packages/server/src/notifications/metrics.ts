import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database.js';
import { deliveryStats } from '../repositories/notifications.repository.js';

/** What the worker counts as it goes. */
export interface DeliveryMetrics {
  delivered(channel: string): void;
  failed(channel: string, outcome: 'retry' | 'dead' | 'unavailable' | 'failed'): void;
}

/**
 * Prometheus metrics of one process (`GET /metrics`): deliveries by channel as this process's worker
 * made them, and — read from the outbox at each scrape, so the same in every process — what waits,
 * what is dead-lettered, and how old the oldest undelivered message is.
 */
export function createMetrics(db: () => Db, now: () => Date): { registry: Registry; delivery: DeliveryMetrics } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'puolesta_' });
  const delivered = new Counter({ name: 'puolesta_notifications_delivered_total', help: 'Messages delivered by this process, by channel.', labelNames: ['channel'], registers: [registry] });
  const failed = new Counter({ name: 'puolesta_notifications_failed_total', help: 'Failed delivery attempts by this process, by channel and outcome (retry, dead, unavailable: handed to the next channel, failed: no channel left).', labelNames: ['channel', 'outcome'], registers: [registry] });
  let stats: Promise<Awaited<ReturnType<typeof deliveryStats>>> | null = null;
  // One query per scrape, shared by the gauges below.
  const read = () => (stats ??= deliveryStats(db()).finally(() => setTimeout(() => { stats = null; }, 0)));
  new Gauge({
    name: 'puolesta_notifications_queued', help: 'Deliveries waiting or being sent (all processes), by channel.', labelNames: ['channel'], registers: [registry],
    async collect() {
      this.reset();
      const s = await read();
      for (const c of s.counts) if (c.status === 'pending' || c.status === 'sending') this.inc({ channel: c.channel }, c.n);
    },
  });
  new Gauge({
    name: 'puolesta_notifications_deliveries', help: 'Deliveries in the outbox (all processes), by channel and status.', labelNames: ['channel', 'status'], registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await read()).counts) this.set({ channel: c.channel, status: c.status }, c.n);
    },
  });
  new Gauge({
    name: 'puolesta_notifications_oldest_undelivered_seconds', help: 'Age of the oldest delivery not yet made (0 when none waits).', registers: [registry],
    async collect() {
      const s = await read();
      this.set(s.oldestUndelivered ? Math.max(0, (now().getTime() - s.oldestUndelivered.getTime()) / 1000) : 0);
    },
  });
  return {
    registry,
    delivery: {
      delivered: (channel) => delivered.inc({ channel }),
      failed: (channel, outcome) => failed.inc({ channel, outcome }),
    },
  };
}
