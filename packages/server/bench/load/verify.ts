/**
 * The end of a run: every accepted write is in the database in the state its answer gave, and the
 * outbox is drained — every message the journeys caused delivered through a channel, received by
 * that channel's simulator (duplicates counted), none pending, failed or dead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { sql } from '../../src/db/database.js';
import { quantiles, STEPS, type Driver } from './journeys.js';
import { ROOT, sleep, type System } from './system.js';

export interface Verification {
  acceptedWrites: number;
  inDoubt: number;
  entities: { mandates: number; errands: number };
  missing: number;
  wrongState: number;
  wrongStateExamples: string[];
  outbox: { notifications: number; deliveries: Record<string, number>; undelivered: number; drainSeconds: number; drained: boolean };
  simulators: { received: number; distinctKeys: number; duplicates: number; deliveredNotReceived: number };
}

export async function verify(sys: System, d: Driver, log: (...a: unknown[]) => void, drainTimeoutMs = 180_000): Promise<Verification> {
  const db = sys.h.db;
  let missing = 0, wrongState = 0;
  const wrongStateExamples: string[] = [];
  for (const [table, ledger] of [['mandates', d.ledger.mandates], ['errands', d.ledger.errands]] as const) {
    const ids = [...ledger.keys()];
    const rows = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const part = ids.slice(i, i + 5000);
      const r = await sql<{ id: string; status: string }>`select id, status from ${sql.table(table)} where id = any(${part})`.execute(db);
      for (const x of r.rows) rows.set(x.id, x.status);
    }
    for (const [id, status] of ledger) {
      const got = rows.get(id);
      if (got === undefined) missing++;
      else if (got !== status && !d.ledger.inDoubt.has(id)) {
        wrongState++;
        if (wrongStateExamples.length < 10) wrongStateExamples.push(`${table} ${id}: answered ${status}, stored ${got}`);
      }
    }
  }
  log(`writes: ${d.ledger.writes} accepted, ${missing} missing, ${wrongState} in another state (${d.ledger.inDoubt.size} entities with a write in doubt: presence checked only)`);

  // The outbox drains (workers keep running); deliveries of messages written before now.
  const t = Date.now();
  let counts: Record<string, number> = {};
  let drained = false;
  for (;;) {
    const r = await sql<{ status: string; n: string }>`select status, count(*) as n from deliveries group by status`.execute(db);
    counts = Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
    if (!counts.pending && !counts.sending) { drained = true; break; }
    if (Date.now() - t > drainTimeoutMs) break;
    await sleep(500);
  }
  const drainSeconds = (Date.now() - t) / 1000;
  const notifications = Number((await sql<{ n: string }>`select count(*) as n from notifications`.execute(db)).rows[0]!.n);
  const undelivered = Number((await sql<{ n: string }>`
    select count(*) as n from notifications n where not exists (select 1 from deliveries d where d.notification_id = n.id and d.status = 'delivered')`.execute(db)).rows[0]!.n);
  log(`outbox: ${notifications} messages, deliveries ${JSON.stringify(counts)}, ${undelivered} without a delivered channel (${drained ? `drained in ${drainSeconds.toFixed(1)} s` : 'NOT drained'})`);

  const received = await sys.simulators.received();
  const keys = new Set(received.map((x) => x.key));
  const delivered = (await sql<{ k: string }>`select notification_id || '.' || channel as k from deliveries where status = 'delivered'`.execute(db)).rows;
  const deliveredNotReceived = delivered.filter((x) => !keys.has(x.k)).length;
  log(`simulators: ${received.length} received, ${keys.size} distinct, ${received.length - keys.size} duplicates; ${deliveredNotReceived} delivered but not received`);
  return {
    acceptedWrites: d.ledger.writes,
    inDoubt: d.ledger.inDoubt.size,
    entities: { mandates: d.ledger.mandates.size, errands: d.ledger.errands.size },
    missing, wrongState, wrongStateExamples,
    outbox: { notifications, deliveries: counts, undelivered, drainSeconds, drained },
    simulators: { received: received.length, distinctKeys: keys.size, duplicates: received.length - keys.size, deliveredNotReceived },
  };
}

export function stepRows(d: Driver, seconds: number) {
  return STEPS.map((step) => {
    const s = d.stats.get(step)!;
    const q = quantiles(s.ok);
    return { step, ...q, perSecond: Math.round((q.n / seconds) * 10) / 10, statuses: Object.fromEntries([...s.status].sort((a, b) => a[0] - b[0])) };
  });
}

export function printSteps(rows: ReturnType<typeof stepRows>) {
  const pad = (s: unknown, n: number) => String(s ?? '–').padEnd(n);
  console.log(`\n${pad('step', 18)}${pad('ok', 8)}${pad('per s', 8)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}answers`);
  for (const r of rows.filter((x) => x.step !== 'probe' || x.n > 0)) console.log(`${pad(r.step, 18)}${pad(r.n, 8)}${pad(r.perSecond, 8)}${pad(r.p50, 9)}${pad(r.p95, 9)}${pad(r.p99, 9)}${pad(r.max, 9)}${Object.entries(r.statuses).map(([k, v]) => `${k === '0' ? 'no answer' : k}×${v}`).join(' ')}`);
}

export function writeResult(name: string, result: object) {
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
}

export async function machineLoad() {
  const os = await import('node:os');
  return { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
}
