/**
 * `npm run faults [-- --users U] [--warmup S] [--gap S] [--partition S] [--persons P]`
 *
 * The load run's harness (bench/load/*) with faults injected while simulated people do their
 * journeys against 3 API processes and 2 workers over a private PostgreSQL cluster:
 *   (a) PostgreSQL restarted (`pg_ctl restart -m fast`): clients see 503 problem+json with
 *       Retry-After for a while, then every process recovers; no accepted write is lost.
 *   (b) an API process and a worker killed with SIGKILL, replacements started: the load goes on
 *       through the other processes; the dead worker's claimed deliveries are delivered by the
 *       other worker once their lease (10 s here) runs out — at least once, duplicates counted.
 *   (c) the third API process reaches PostgreSQL through a TCP proxy that is cut (a black hole):
 *       a mandate it has seen allowed is revoked through another process; from then on the cut
 *       process must answer the check refused or 503, never allowed. After the cut heals it
 *       answers again (refused) — the recovery time is measured.
 * At the end the same verification as `npm run load` (writes present, outbox drained). Writes
 * bench/results/faults.json; exit code 1 when an invariant broke. Not part of `npm test`.
 * See docs/decisions/0022-load-and-faults.md.
 */
import { performance } from 'node:perf_hooks';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { sql } from '../src/db/database.js';
import { Driver, type Event } from './load/journeys.js';
import { sleep, System } from './load/system.js';
import { machineLoad, printSteps, stepRows, verify, writeResult } from './load/verify.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const users = opt('--users', 12);
const warmup = opt('--warmup', 20);
const gap = opt('--gap', 25);
const partitionSeconds = opt('--partition', 15);
const persons = opt('--persons', 30_000);
const LEASE_MS = 10_000;
const log = (...a: unknown[]) => console.error('[faults]', ...a);
const r1 = (x: number) => Math.round(x * 10) / 10;

const sys = new System({ apis: 3, workers: 2, persons, proxyLast: true, notifyLeaseMs: LEASE_MS, log });
let failed = true;
try {
  const before = await machineLoad();
  await sys.start();
  const targets = sys.apis.map((a) => ({ port: a.port!, up: true }));
  // Journeys retry through the balancer for up to a minute (a restart or a partition takes seconds).
  const driver = new Driver(targets, sys.pools, { retryForMs: 60_000, log });
  let stop = false;
  const load = driver.run(users, () => stop);
  const t0 = driver.now();
  const at = () => r1(driver.now() - t0);
  const failures = (from: number, to: number, filter: (e: Event) => boolean = () => true) =>
    driver.events.filter((e) => e.t >= from && e.t <= to && (e.status === 503 || e.status === 0) && filter(e));
  log(`${users} people doing journeys; faults after ${warmup} s`);
  await sleep(warmup * 1000);

  // ---- (a) PostgreSQL restart ----
  const a0 = driver.now();
  log(`(a) ${at()} s: pg_ctl restart -m fast`);
  await sys.cluster.restart();
  const a1 = driver.now();
  log(`(a) PostgreSQL back after ${r1(a1 - a0)} s`);
  await sleep(gap * 1000);
  const aEnd = driver.now();
  const aFail = failures(a0, aEnd);
  const firstOkAfter = (from: number, port: number) => driver.events.find((e) => e.t >= from && e.port === port && e.status >= 200 && e.status < 300 && e.step !== 'check')?.t;
  const aRecovered = targets.map((t) => { const x = firstOkAfter(a1, t.port); return x === undefined ? null : r1(x - a0); });
  const faultA = {
    restartSeconds: r1(a1 - a0),
    answers503: aFail.filter((e) => e.status === 503).length,
    noAnswer: aFail.filter((e) => e.status === 0).length,
    failingSeconds: aFail.length ? r1(Math.max(...aFail.map((e) => e.t)) - a0) : 0,
    secondsWith503: new Set(aFail.map((e) => Math.floor(e.t))).size,
    firstWriteOkAfterRestartPerProcess: aRecovered,
  };
  log(`(a) ${faultA.answers503} × 503 and ${faultA.noAnswer} without answer, the last ${faultA.failingSeconds} s after the restart began; writes succeed again on each process ${aRecovered.join(' / ')} s after it began`);

  // ---- (b) SIGKILL an API process and a worker ----
  const victimApi = sys.apis[1]!;
  const victimWorker = sys.workers[0]!;
  const node = sys.workerNode(victimWorker);
  // Killed while it holds claimed deliveries: the SMTP server answers slowly for a moment, so that
  // claims last (waits up to 20 s for a moment when the worker holds some).
  sys.simulators.smtp.setDelay(2000);
  for (let i = 0; node && i < 1000; i++) {
    const n = (await sql<{ n: number }>`select count(*)::int as n from deliveries where locked_by = ${node} and status = 'sending'`.execute(sys.h.db)).rows[0]!.n;
    if (n > 0) break;
    await sleep(20);
  }
  const b0 = driver.now();
  log(`(b) ${at()} s: SIGKILL ${victimApi.name} (port ${victimApi.port}) and ${victimWorker.name}`);
  sys.kill(victimApi);
  sys.kill(victimWorker);
  sys.simulators.smtp.setDelay(0);
  await Promise.all([victimApi, victimWorker].map((p) => (p.exited ? null : new Promise((r) => p.child.once('exit', r)))));
  const orphaned = node ? (await sql<{ id: string }>`select id::text from deliveries where locked_by = ${node} and status = 'sending'`.execute(sys.h.db)).rows.map((r) => r.id) : [];
  log(`(b) the dead worker held ${orphaned.length} claimed deliveries`);
  const [api, worker] = await Promise.all([sys.startApi(`${victimApi.name}-replacement`, victimApi.port!), sys.startWorker(`${victimWorker.name}-replacement`)]);
  sys.apis[1] = api;
  sys.workers[0] = worker;
  const b1 = driver.now();
  log(`(b) replacements up after ${r1(b1 - b0)} s (API ${r1(api.startSeconds!)} s, worker ${r1(worker.startSeconds!)} s from spawn; the first start took ${sys.apis.map((a) => a === api ? '' : r1(a.startSeconds ?? 0)).filter(Boolean).join(' / ')} s)`);
  await sleep(Math.max(gap, LEASE_MS / 1000 + 5) * 1000);
  const orphanedNow = orphaned.length
    ? (await sql<{ status: string; n: string }>`select status, count(*) as n from deliveries where id = any(${orphaned.map(Number)}) group by status`.execute(sys.h.db)).rows
    : [];
  const bFail = failures(b0, driver.now());
  const faultB = {
    replacementsUpSeconds: r1(b1 - b0),
    replacementApiStartSeconds: r1(api.startSeconds!), replacementWorkerStartSeconds: r1(worker.startSeconds!),
    refusedOrNoAnswer: bFail.filter((e) => e.status === 0).length,
    answers503: bFail.filter((e) => e.status === 503).length,
    orphanedDeliveries: orphaned.length,
    orphanedStatusAfterLease: Object.fromEntries(orphanedNow.map((r) => [r.status, Number(r.n)])),
  };
  log(`(b) orphaned deliveries now: ${JSON.stringify(faultB.orphanedStatusAfterLease)}`);

  // ---- (c) partition one API process from the database ----
  const cut = sys.apis[2]!;
  const cutPort = cut.port!;
  const other = sys.apis[0]!.port!;
  const today = helsinkiDate(Date.now());
  const P = sys.pools.adults[sys.pools.adults.length - 1]!;
  const Q = sys.pools.adults[sys.pools.adults.length - 2]!;
  const checkBody = { actor: { type: 'person', id: Q }, principal: { type: 'person', id: P }, issue: 'housing' };
  const basic = 'demo-245:demo-secret-245';
  const principal = await driver.login({ person: P });
  if (!principal) throw new Error('cannot log in the partition test\'s principal');
  const grant = await driver.call('probe', 'POST', '/api/v1/mandates', { session: principal, port: other, body: { agent: { type: 'person', id: Q }, issues: ['housing'], validUntil: addDays(today, 30) } });
  if (grant.status !== 201) throw new Error(`partition test grant → ${grant.status}`);
  const seen = await driver.call('probe', 'POST', '/api/v1/authorizations/check', { port: cutPort, basic, body: checkBody });
  if (seen.status !== 200 || seen.body.allowed !== true) throw new Error(`the process to cut does not see the grant: ${seen.status} ${JSON.stringify(seen.body)}`);
  const c0 = driver.now();
  log(`(c) ${at()} s: cutting ${cut.name} (port ${cutPort}) from PostgreSQL`);
  sys.proxy!.partition();
  const rv0 = performance.now();
  // Through another process; retried there on 503 as a client would (the machine may be busy).
  let revoke = await driver.call('probe', 'POST', `/api/v1/mandates/${grant.body.id}/revoke`, { session: principal, port: other, body: {} });
  for (let i = 0; (revoke.status === 503 || revoke.status === 0) && i < 60; i++) {
    await sleep(500);
    revoke = await driver.call('probe', 'POST', `/api/v1/mandates/${grant.body.id}/revoke`, { session: principal, port: other, body: {} });
  }
  const revokeMs = performance.now() - rv0;
  // A retry refused as already revoked: the try that answered 503 had done it.
  const done = revoke.status === 200 || (revoke.status === 409 && revoke.body?.params?.status === 'revoked');
  if (!done) throw new Error(`revoke through ${other} → ${revoke.status} ${JSON.stringify(revoke.body)}`);
  driver.ledger.mandates.set(grant.body.id, 'revoked');
  log(`(c) revoked through another process in ${Math.round(revokeMs)} ms; checking through the cut one`);
  const probe = async () => {
    const t = performance.now();
    const r = await driver.call('probe', 'POST', '/api/v1/authorizations/check', { port: cutPort, basic, body: checkBody });
    return { status: r.status, allowed: r.body?.allowed === true, ms: performance.now() - t, problem: r.status === 503 };
  };
  const during = { allowed: 0, refused: 0, unavailable: 0, other: 0, slowestMs: 0 };
  const healAt = c0 + partitionSeconds;
  while (driver.now() < healAt) {
    const p = await probe();
    during.slowestMs = Math.max(during.slowestMs, Math.round(p.ms));
    if (p.status === 200) p.allowed ? during.allowed++ : during.refused++;
    else if (p.status === 503) during.unavailable++;
    else during.other++;
    await sleep(200);
  }
  sys.proxy!.heal();
  const h0 = driver.now();
  log(`(c) ${at()} s: healed`);
  let recoveredAfter: number | null = null;
  const after = { allowed: 0, refused: 0, unavailable: 0, other: 0 };
  const probeUntil = h0 + 30;
  while (driver.now() < probeUntil) {
    const p = await probe();
    if (p.status === 200) {
      p.allowed ? after.allowed++ : after.refused++;
      recoveredAfter ??= r1(driver.now() - h0);
      if (after.refused + after.allowed >= 20) break;
    } else if (p.status === 503) after.unavailable++;
    else after.other++;
    await sleep(100);
  }
  const otherView = await driver.call('probe', 'POST', '/api/v1/authorizations/check', { port: other, basic, body: checkBody });
  const faultC = {
    partitionSeconds, revokeElsewhereMs: Math.round(revokeMs), duringCut: during, afterHeal: after, recoveredAfterSeconds: recoveredAfter,
    otherProcessAnswer: otherView.body?.allowed === false ? 'refused' : `${otherView.status} ${JSON.stringify(otherView.body)}`,
    staleAllowed: during.allowed + after.allowed,
  };
  log(`(c) during the cut: ${JSON.stringify(during)}; after: ${JSON.stringify(after)}; recovered ${recoveredAfter} s after healing`);

  await sleep(10_000);
  stop = true;
  await load;
  const seconds = driver.now() - t0;
  const machine = await machineLoad();
  const v = await verify(sys, driver, log);
  const steps = stepRows(driver, seconds);
  printSteps(steps);
  const lost = v.missing + v.wrongState;
  const outboxOk = v.outbox.drained && v.outbox.undelivered === 0 && !v.outbox.deliveries.failed && !v.outbox.deliveries.dead && v.simulators.deliveredNotReceived === 0;
  const orphansDelivered = (faultB.orphanedStatusAfterLease.delivered ?? 0) === orphaned.length;
  const ok = lost === 0 && driver.serverErrors === 0 && driver.bad503 === 0 && faultC.staleAllowed === 0 && recoveredAfter !== null && outboxOk
    && aRecovered.every((x) => x !== null) && faultC.otherProcessAnswer === 'refused';
  console.log(`\n(a) restart: ${faultA.answers503} × 503, failing for ${faultA.failingSeconds} s, writes back on every process after ${Math.max(...aRecovered.map((x) => x ?? Infinity))} s`);
  console.log(`(b) SIGKILL: replacements up in ${faultB.replacementsUpSeconds} s; ${orphaned.length} orphaned deliveries → ${JSON.stringify(faultB.orphanedStatusAfterLease)}`);
  console.log(`(c) partition: revoke elsewhere ${faultC.revokeElsewhereMs} ms; stale allowed ${faultC.staleAllowed}; during ${JSON.stringify(during)}; recovered ${recoveredAfter} s after healing`);
  console.log(`${driver.journeys} journeys, ${v.acceptedWrites} accepted writes, ${lost} lost; ${driver.serverErrors} 5xx other than 503; ${driver.bad503} 503 without problem+json/Retry-After; `
    + `${v.outbox.notifications} messages, ${v.outbox.undelivered} undelivered, ${v.simulators.duplicates} duplicates at the channels; ${ok ? 'OK' : 'FAILED'}`);
  if (driver.unexpected.length) console.log(`unexpected answers:\n  ${driver.unexpected.slice(0, 20).join('\n  ')}`);
  writeResult('faults', {
    date: new Date().toISOString(),
    machine: { ...machine, loadavgBefore: before.loadavg, note: 'load generator, simulators, 3 API processes, 2 workers and PostgreSQL share these cores; other helpers\' work may run too' },
    setup: { apis: 3, workers: 2, users, persons, warmupSeconds: warmup, gapSeconds: gap, notifyLeaseMs: LEASE_MS, clientRetry: 'refused connection, timeout or 503 → again through the next process after min(Retry-After, 1 s), for up to 60 s' },
    restart: faultA, kill: faultB, partition: faultC,
    journeys: driver.journeys, abandoned: driver.abandoned, steps, verification: v, serverErrors: driver.serverErrors, bad503: driver.bad503, unexpected: driver.unexpected.slice(0, 50), ok,
    report: [
      { figure: 'faults (a): PostgreSQL restart — seconds clients saw 503 / no answer', value: faultA.failingSeconds, unit: 's', baseline: `pg_ctl restart took ${faultA.restartSeconds} s; ${faultA.answers503} × 503`, goal: 'brief, then recovers', met: aRecovered.every((x) => x !== null) },
      { figure: 'faults (a): recovery — first successful write on every process after the restart began', value: Math.max(...aRecovered.map((x) => x ?? Infinity)), unit: 's', baseline: `pg_ctl restart took ${faultA.restartSeconds} s`, goal: 'recovers by itself', met: aRecovered.every((x) => x !== null) },
      { figure: 'faults: 503 answers without problem+json or Retry-After', value: driver.bad503, unit: '', baseline: `${driver.events.filter((e) => e.status === 503).length} × 503`, goal: '0', met: driver.bad503 === 0 },
      { figure: 'faults: 5xx answers other than 503', value: driver.serverErrors, unit: '', baseline: `${driver.events.length} answers`, goal: '0', met: driver.serverErrors === 0 },
      { figure: 'faults (b): SIGKILL API + worker — replacements up', value: faultB.replacementsUpSeconds, unit: 's', baseline: `${orphaned.length} deliveries claimed by the dead worker`, goal: 'measured', met: null },
      { figure: 'faults (b): dead worker\'s claimed deliveries delivered after its lease', value: `${faultB.orphanedStatusAfterLease.delivered ?? 0} of ${orphaned.length}`, unit: '', baseline: `lease ${LEASE_MS / 1000} s`, goal: 'all', met: orphansDelivered },
      { figure: 'faults: duplicate messages at the channels (at least once, same idempotency key)', value: v.simulators.duplicates, unit: '', baseline: `${v.simulators.received} received`, goal: 'counted (at least once)', met: null },
      { figure: 'faults (c): partition — stale allowed from the cut process', value: faultC.staleAllowed, unit: '', baseline: `${during.refused + during.unavailable + during.allowed + during.other} checks during the cut (${during.unavailable} × 503, ${during.refused} refused), ${after.refused + after.allowed} after`, goal: '0', met: faultC.staleAllowed === 0 },
      { figure: 'faults (c): revoke through another process during the cut', value: faultC.revokeElsewhereMs, unit: 'ms', baseline: 'waits for the cut process\'s lease (5 s) to run out', goal: 'measured', met: null },
      { figure: 'faults (c): recovery after the partition heals', value: recoveredAfter ?? 'never', unit: 's', baseline: `cut for ${partitionSeconds} s`, goal: 'recovers by itself', met: recoveredAfter !== null },
      { figure: 'faults: accepted writes lost', value: lost, unit: '', baseline: `${v.acceptedWrites} accepted writes`, goal: '0', met: lost === 0 },
      { figure: 'faults: messages not delivered (outbox drained)', value: v.outbox.undelivered + (v.outbox.deliveries.failed ?? 0) + (v.outbox.deliveries.dead ?? 0), unit: '', baseline: `${v.outbox.notifications} messages`, goal: '0', met: outboxOk },
    ],
  });
  log('written to bench/results/faults.json');
  failed = !ok;
  if (failed) sys.keepLogs = true;
} finally {
  await sys.stop();
}
process.exit(failed ? 1 : 0);
