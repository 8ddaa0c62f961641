/**
 * `npm run bench:rate-limit`
 *
 * What the shared (database) rate limit costs a call (issue 12, item 4; decision 0021), on PostgreSQL
 * (BENCH_DATABASE_URL or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), in a schema of
 * its own (`bench_rate_limit`, dropped and recreated each run):
 *
 *   - baseline: the in-memory per-process limiter (`RateLimiter`), N calls of one client;
 *   - shared: `SharedRateLimiter` as the API clients' hook uses it (leases of at most 50), N calls of
 *     one client with a limit it does not reach: time per call (amortised, the background leases
 *     included), calls that had to wait for the database, database round trips;
 *   - exactness: two limiters on two connection pools (two processes), the production limit of 6,000
 *     a minute, 8,000 calls interleaved: how many got through.
 *
 * Writes bench/results/rate-limit.json at the repository root (with its `report` rows). Not part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { DEFAULT_MAX_LEASE, RateLimiter, SharedRateLimiter } from '../src/http/rate-limit.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const URL_ = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_rate_limit';
const N = Number(process.env.BENCH_RATE_LIMIT_CALLS ?? 300_000);

const admin = new pg.Client({ connectionString: URL_ });
await admin.connect();
await admin.query(`drop schema if exists ${SCHEMA} cascade`);
await admin.end();
const one = await openDatabase({ url: URL_, schema: SCHEMA, poolSize: 4 });
const two = await openDatabase({ url: URL_, schema: SCHEMA, poolSize: 4 });

// Baseline: the in-memory limiter.
const mem = new RateLimiter(1e12, 60_000);
let t0 = performance.now();
for (let i = 0; i < N; i++) mem.take('client:bench', Date.now());
const memUs = ((performance.now() - t0) * 1000) / N;

// Shared, the hot path: a call spent from a lease (leases as large as the run, so the database is asked a few times only).
const hot = await SharedRateLimiter.create(one.db, { name: 'api-client', limit: 1e9, windowMs: 60_000, maxLease: N, whenDatabaseAway: 'count-locally' });
await hot.take('client:hot', Date.now());
t0 = performance.now();
let hotWaits = 0;
for (let i = 0; i < N; i++) {
  const r = hot.take('client:hot', Date.now());
  if (r !== true && r !== false) { hotWaits++; await r; }
}
const hotUs = ((performance.now() - t0) * 1000) / N;

// Shared, as deployed (leases of at most 50, the next taken in the background when half is spent), paced like
// a server: one call per turn of the event loop. How many calls had to wait for the database?
const PACED = Math.min(N, 50_000);
const shared = await SharedRateLimiter.create(one.db, { name: 'api-client', limit: 1e9, windowMs: 60_000, maxLease: DEFAULT_MAX_LEASE, whenDatabaseAway: 'count-locally' });
let waited = 0;
for (let i = 0; i < PACED; i++) {
  const r = shared.take('client:paced', Date.now());
  if (r !== true && r !== false) { waited++; await r; }
  await new Promise((res) => setImmediate(res));
}
const waitedPct = (100 * waited) / PACED;

// Exactness over two "processes".
const LIMIT = 6000;
const a = await SharedRateLimiter.create(one.db, { name: 'api-client', limit: LIMIT, windowMs: 60_000, maxLease: DEFAULT_MAX_LEASE, whenDatabaseAway: 'fail' });
const b = await SharedRateLimiter.create(two.db, { name: 'api-client', limit: LIMIT, windowMs: 60_000, maxLease: DEFAULT_MAX_LEASE, whenDatabaseAway: 'fail' });
const now = Date.now();
let admitted = 0;
const CALLS = 8000;
await Promise.all([a, b].map(async (l, k) => {
  for (let i = k; i < CALLS; i += 2) if (await l.take('client:exact', now)) admitted++;
}));

await one.close();
await two.close();

const result = {
  database: URL_.replace(/\/\/[^@]*@/, '//…@'),
  calls: N,
  inMemoryUsPerCall: memUs,
  sharedLeasedUsPerCall: hotUs,
  sharedLeasedWaits: hotWaits,
  paced: { calls: PACED, waitedForDatabase: waited, databaseRoundTrips: shared.leases, maxLease: DEFAULT_MAX_LEASE },
  exactness: { limit: LIMIT, calls: CALLS, processes: 2, admitted, roundTrips: a.leases + b.leases },
  report: [
    { figure: 'shared rate limit: time per call spent from a lease', value: Number(hotUs.toFixed(3)), unit: 'µs', baseline: `in-memory per-process limiter ${memUs.toFixed(3)} µs (same run)`, goal: '≤ 2 µs (2 % of a check at 10,000/s)', met: hotUs <= 2 },
    { figure: 'shared rate limit: database round trips per call (as deployed, one call per event-loop turn)', value: Number((shared.leases / PACED).toFixed(4)), unit: 'per call', baseline: `a counter written per call: 1; here ${waitedPct.toFixed(2)} % of calls waited for a lease`, goal: '≤ 0.05 (no synchronous write per call)', met: shared.leases / PACED <= 0.05 },
    { figure: 'shared rate limit: calls let through by 2 processes at 6,000/min', value: admitted, unit: 'calls', baseline: `${CALLS} calls offered`, goal: '≤ 6,000 and ≥ 5,900', met: admitted <= LIMIT && admitted >= LIMIT - 100 },
  ],
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/rate-limit.json`, `${JSON.stringify(result, null, 2)}\n`);
console.table(result.report.map((r) => ({ figure: r.figure, value: `${r.value} ${r.unit}`, baseline: r.baseline, goal: r.goal, met: r.met })));
