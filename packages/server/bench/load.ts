/**
 * `npm run load [-- --duration S] [--users U] [--apis N] [--workers W] [--persons P]`
 *
 * A bounded run (default 90 s) of U simulated people (default 16) doing whole journeys over HTTP
 * (bench/load/journeys.ts: log in, grant, request, approve, the e-service's check, an errand with
 * two owners, the second owner's signature, the caseworker's decision) against N API processes
 * (default 3) and W outbox workers (default 2), spawned as `npm run serve` / `npm run worker` are,
 * over a private PostgreSQL cluster (initdb on a temporary directory, deleted after), with the
 * channels' simulators as delivery endpoints. At the end every accepted write must be in the
 * database in the state its answer gave and the outbox drained (nothing pending, failed or dead;
 * every message received by a simulator). Prints a table and writes bench/results/load.json.
 * Exit code 1 when anything was lost, a 5xx other than 503 was answered, or the outbox stuck.
 * Not part of `npm test` (it takes minutes). See docs/decisions/0022-load-and-faults.md.
 */
import { Driver } from './load/journeys.js';
import { System } from './load/system.js';
import { machineLoad, printSteps, stepRows, verify, writeResult } from './load/verify.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const duration = opt('--duration', 90);
const users = opt('--users', 16);
const log = (...a: unknown[]) => console.error('[load]', ...a);

const sys = new System({ apis: opt('--apis', 3), workers: opt('--workers', 2), persons: opt('--persons', 30_000), proxyLast: false, notifyLeaseMs: 60_000, log });
let failed = true;
try {
  const before = await machineLoad();
  await sys.start();
  const driver = new Driver(sys.apis.map((a) => ({ port: a.port!, up: true })), sys.pools, { retryForMs: 30_000, log });
  log(`${users} people doing journeys for ${duration} s …`);
  const started = driver.now();
  const end = started + duration;
  const progress = setInterval(() => log(`  ${Math.round(driver.now() - started)} s: ${driver.journeys} journeys, ${driver.ledger.writes} writes`), 15_000);
  await driver.run(users, () => driver.now() >= end);
  clearInterval(progress);
  const seconds = driver.now() - started;
  const during = await machineLoad();
  const v = await verify(sys, driver, log);
  const steps = stepRows(driver, seconds);
  printSteps(steps);
  const requests = steps.reduce((a, r) => a + r.n, 0);
  const journeysPerSecond = Math.round((driver.journeys / seconds) * 100) / 100;
  const ok = v.missing === 0 && v.wrongState === 0 && driver.serverErrors === 0 && v.outbox.drained && v.outbox.undelivered === 0
    && !v.outbox.deliveries.failed && !v.outbox.deliveries.dead && v.simulators.deliveredNotReceived === 0;
  console.log(`\n${driver.journeys} journeys in ${seconds.toFixed(0)} s (${journeysPerSecond}/s), ${Math.round(requests / seconds)} successful requests/s, ${driver.abandoned} abandoned; `
    + `${v.acceptedWrites} accepted writes, ${v.missing} missing; ${v.outbox.notifications} messages, ${v.outbox.undelivered} undelivered; ${driver.serverErrors} 5xx; ${ok ? 'OK' : 'FAILED'}`);
  if (driver.unexpected.length) console.log(`unexpected answers:\n  ${driver.unexpected.slice(0, 20).join('\n  ')}`);
  const check = steps.find((s) => s.step === 'check')!;
  const cpus = during.cpus;
  writeResult('load', {
    date: new Date().toISOString(),
    machine: { ...during, loadavgBefore: before.loadavg, note: 'load generator, simulators, 3 API processes, 2 workers and PostgreSQL share these cores; other helpers\' work may run too (see loadavgBefore)' },
    setup: { apis: sys.apis.length, workers: sys.workers.length, persons: opt('--persons', 30_000), users, durationSeconds: Math.round(seconds), logLevel: process.env.LOG_LEVEL ?? 'info' },
    journeys: driver.journeys, journeysPerSecond, successfulRequestsPerSecond: Math.round(requests / seconds), abandoned: driver.abandoned,
    steps, verification: v, serverErrors: driver.serverErrors, unexpected: driver.unexpected.slice(0, 50), ok,
    report: [
      { figure: 'load: whole journeys per second (3 API, 2 workers, one PostgreSQL)', value: journeysPerSecond, unit: '/s', baseline: `${users} simulated people, ${Math.round(seconds)} s, ${cpus} cores shared with the load generator`, goal: 'measured (no goal)', met: null },
      { figure: 'load: successful HTTP requests per second', value: Math.round(requests / seconds), unit: '/s', baseline: `${requests} requests`, goal: 'measured (no goal)', met: null },
      ...steps.filter((s) => s.n > 0).map((s) => ({ figure: `load: ${s.step} p50 / p95 / p99`, value: `${s.p50} / ${s.p95} / ${s.p99}`, unit: 'ms', baseline: `${s.n} answers`, goal: 'measured (no goal)', met: null })),
      { figure: 'load: accepted writes lost', value: v.missing + v.wrongState, unit: '', baseline: `${v.acceptedWrites} accepted writes`, goal: '0', met: v.missing + v.wrongState === 0 },
      { figure: 'load: messages not delivered (outbox drained)', value: v.outbox.undelivered + (v.outbox.deliveries.failed ?? 0) + (v.outbox.deliveries.dead ?? 0) + (v.outbox.drained ? 0 : 1), unit: '', baseline: `${v.outbox.notifications} messages, drained ${v.outbox.drainSeconds.toFixed(1)} s after the run`, goal: '0', met: v.outbox.drained && v.outbox.undelivered === 0 && !v.outbox.deliveries.failed && !v.outbox.deliveries.dead },
      { figure: 'load: 5xx answers other than 503', value: driver.serverErrors, unit: '', baseline: `${requests} requests`, goal: '0', met: driver.serverErrors === 0 },
      { figure: 'load: 503 answers with no fault injected (retried by the client)', value: driver.events.filter((e) => e.status === 503).length, unit: '', baseline: `${driver.events.length} answers; a database time limit (4 s) reached on a starved machine answers 503`, goal: 'measured (no goal)', met: null },
      { figure: 'load: check p99 under whole-journey load', value: check.p99 ?? 'n/a', unit: 'ms', baseline: `${check.n} checks`, goal: 'measured (no goal)', met: null },
    ],
  });
  log('written to bench/results/load.json');
  failed = !ok;
  if (failed) sys.keepLogs = true;
} finally {
  await sys.stop();
}
process.exit(failed ? 1 : 0);
