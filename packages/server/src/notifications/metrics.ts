import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClientActor, StaffActor } from '@puolesta/domain';
import { HotCounter, HotHistogram } from './hot-metrics.js';
import type { Db } from '../db/database.js';
import { deliveryStats } from '../repositories/notifications.repository.js';
import { authzVersion } from '../repositories/authz.repository.js';

/** What the HTTP layer counts: one observation per answered request (http/telemetry.ts). */
export interface HttpMetrics {
  /** `route`: the matched route's pattern (never the raw URL, which may carry an identity code), or `unmatched`. */
  observe(method: string, route: string, statusCode: number, seconds: number): void;
}

/**
 * What the check counts: each decision, by who asked — the kind (`api-client`, `staff`) and the API
 * client's id (`client`; `""` for a caseworker's check, whose `asker` is `staff`) — and, when refused,
 * the reason code.
 */
export interface CheckMetrics {
  checked(asker: ClientActor | StaffActor, decision: { allowed: boolean; reasonCode?: string }): void;
}

/** The status class label of a status code's hundreds. */
const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

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
export interface Metrics { registry: Registry; delivery: DeliveryMetrics; http: HttpMetrics; checks: CheckMetrics }

/**
 * Also: requests by method, route pattern and status class with their durations
 * (`puolesta_http_request_duration_seconds`), checks by asker, API client, result and reason (`puolesta_checks_total`),
 * and — when given this process's authorization index — how many versions the index is behind the
 * database (`puolesta_authz_index_version_lag`, read at each scrape).
 */
export function createMetrics(db: () => Db, now: () => Date, opts: { index?: { readonly appliedVersion: number } } = {}): Metrics {
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
  // The two hot-path metrics (every request, every check) count in plain numbers (hot-metrics.ts).
  const duration = new HotHistogram('puolesta_http_request_duration_seconds',
    'Requests answered by this process, by method, route pattern and status class (2xx, 4xx, …), and how long each took.',
    ['method', 'route', 'status_class'], [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registry);
  // Per API client (ids come from the configured clients, so the series are bounded); caseworkers' checks under client "".
  const checks = new HotCounter('puolesta_checks_total', 'Checks answered by this process, by who asked (api-client, staff), the API client\'s id (client; empty for staff), result (allowed, refused) and the reason code of a refusal.',
    ['asker', 'client', 'result', 'reason'], registry);
  const index = opts.index;
  if (index) {
    new Gauge({
      name: 'puolesta_authz_index_version_lag', help: 'Authorization versions committed in the database that this process\'s in-memory index has not applied yet (the database\'s version − the index\'s; while the index loads, the database\'s version).', registers: [registry],
      async collect() {
        this.set(Math.max(0, (await authzVersion(db())) - Math.max(0, index.appliedVersion)));
      },
    });
  }
  return {
    registry,
    http: {
      observe(method, route, statusCode, seconds) {
        duration.observe(duration.series(method, route, STATUS_CLASS[Math.floor(statusCode / 100)] ?? 'other'), seconds);
      },
    },
    checks: {
      checked(asker, d) {
        const client = asker.kind === 'api-client' ? asker.id : '';
        checks.inc(d.allowed ? checks.series(asker.kind, client, 'allowed', '') : checks.series(asker.kind, client, 'refused', d.reasonCode ?? 'none'));
      },
    },
    delivery: {
      delivered: (channel) => delivered.inc({ channel }),
      failed: (channel, outcome) => failed.inc({ channel, outcome }),
    },
  };
}
