/**
 * `npm run bench:check [-- --persons N] [--mandates M] [--regenerate] [--duration S] [--connections C] [--rounds R] [--generator wrk|autocannon] [--profile] [--heap-profile]`
 *
 * Generates (once; reused while the size matches) a population into schema `bench` of database
 * `puolesta_bench` on the PostgreSQL server of DATABASE_URL (or BENCH_DATABASE_URL), starts the
 * real server on it (createPuolesta + listen, logging at info as deployed, to /dev/null), and
 * measures with autocannon in a separate process:
 *   - the framework's limit in the same run: a bare Fastify route (bare-server.mjs: same Fastify, no
 *     plugins, no hooks, no logging) in a process of its own, measured with the same load generator,
 *     connections, duration and request bodies; the check's throughput is reported as a ratio of it;
 *   - GET /health, POST check and POST principals at saturation: throughput, p50/p99;
 *   - the bare route and the check alternate in R rounds (default 5), at saturation and at 2,000/s; each
 *     ratio is the median of the rounds' ratios;
 *   - the CPU time each server process spends per request at saturation (user and system, from
 *     /proc/PID/stat), bare route and check, median of the rounds: what a request costs, apart from
 *     how the load generator and the kernel's wake-ups share the two cores;
 *   - check and the bare route at a fixed 2,000/s, principals (an agent with 50 principals) at 500/s: p99;
 *   - `--profile`: a CPU profile of the server (node:inspector) while the check runs at saturation,
 *     written to bench/results/check.cpuprofile and summarised (self time by package and function)
 *     into check.json's `profile` (see profile-summary.ts).
 *   - `--heap-profile`: instead of the rounds, where the server's allocations come from (V8's sampling
 *     heap profiler, collected objects included): 5 s idle, 5 s of checks at 2,000/s, 5 s at
 *     saturation; the top allocation sites (last four frames) and KB per request are printed.
 *   - the in-process check (ctx.index.check, and decide() over index.relations) on one core.
 * Prints a table and writes bench/results/check.json at the repository root, with the `report` rows
 * that `npm run bench:report` puts in bench/results/report.md.
 *
 * A database of its own, not a schema in the test database: the schema stays between runs, and
 * Kysely's migrator (db/migrate.ts) finds migration tables of any schema on the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Session } from 'node:inspector/promises';
import { asMunicipalityCode, decide, helsinkiDate, type CheckQuery, type LocalDate } from '@puolesta/domain';
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, sql } from '../src/db/database.js';
import { createLogger, logDestination } from '../src/logger.js';
import { summariseProfile, type CpuProfile } from './profile-summary.js';
import { clearPopulation, HEAVY_MANDATE_PREFIX, writePopulation } from '../src/registers/generate.js';
import { isSeeded } from '../src/registers/seed.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));

// ---- options ----
const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const num = (name: string, dflt: number) => { const v = opt(name); return v === undefined ? dflt : Number(v.replace(/_/g, '')); };
const persons = num('--persons', 1_000_000);
const mandates = num('--mandates', 2 * persons);
const duration = num('--duration', 10);
const connections = num('--connections', 20);
const regenerate = argv.includes('--regenerate');
const profile = argv.includes('--profile');
const seed = opt('--seed') ?? '1';
const rounds = Math.max(1, num('--rounds', 5));
// Saturation runs: wrk where it is installed (.ci/run installs it), else autocannon (load-worker.mjs says why).
const hasWrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
const generator = opt('--generator') ?? (hasWrk ? 'wrk' : 'autocannon');

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const u = new URL(baseUrl);
const size = persons === 1_000_000 && mandates === 2_000_000 ? '' : `_p${persons}_m${mandates}`;
// One database per size, each with the one schema `bench` (see the note above on the migrator).
if (!process.env.BENCH_DATABASE_URL) u.pathname = `/puolesta_bench${size}`;
const url = u.toString();
const schema = 'bench';

const log = (...a: unknown[]) => console.error('[bench]', ...a);

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const db = u.pathname.slice(1);
  const r = await admin.query('select 1 from pg_database where datname = $1', [db]);
  if (r.rowCount === 0) await admin.query(`create database ${db}`);
  await admin.end();
}

// ---- data ----
await ensureDatabase();
const h = await openDatabase({ url, schema, poolSize: 10 });
await sql.raw(`create table if not exists bench_meta (persons int not null, mandates int not null, seed text not null, reference_date text not null, seconds real not null)`).execute(h.db);
const meta = (await sql<{ persons: number; mandates: number; seed: string; reference_date: string; seconds: number }>`select * from bench_meta`.execute(h.db)).rows[0];
let generation = meta ? { seconds: meta.seconds, referenceDate: meta.reference_date, reused: true } : undefined;
if (regenerate || !meta || meta.persons !== persons || meta.mandates !== mandates || meta.seed !== seed) {
  if (await isSeeded(h.db)) await clearPopulation(h);
  await sql`delete from bench_meta`.execute(h.db);
  const referenceDate = helsinkiDate(Date.now());
  log(`generating ${persons} persons and ${mandates} mandates into ${url.replace(/\/\/[^@]*@/, '//')} schema ${schema} …`);
  const s = await writePopulation(h, { persons, mandatesPerPerson: mandates / persons, seed, referenceDate, url, onProgress: (p) => { if (p.mandates % 500_000 === 0 && p.mandates) log(`  ${p.mandates} mandates, ${p.seconds.toFixed(0)} s`); } });
  await sql`insert into bench_meta values (${persons}, ${mandates}, ${seed}, ${referenceDate}, ${s.seconds})`.execute(h.db);
  generation = { seconds: s.seconds, referenceDate, reused: false };
  log(`generated in ${s.seconds.toFixed(0)} s`);
} else log(`reusing ${persons} persons / ${mandates} mandates in schema ${schema} (generated for ${meta.reference_date}); --regenerate to redo`);
await sql`delete from authz_nodes`.execute(h.db);

// ---- request bodies: random pairs, some allowed, some not ----
const today = helsinkiDate(Date.now());
const MUNICIPALITY = asMunicipalityCode('245');
const q = async <T>(text: string) => (await sql.raw<T>(text).execute(h.db)).rows;
const issues = (await q<{ code: string }>('select code from issues')).map((r) => r.code);
const pickIssue = () => issues[(Math.random() * issues.length) | 0]!;
const mandatePairs = await q<{ at: string; a: string; pt: string; p: string; issues: string[] }>(
  `select agent_type as at, agent_id as a, principal_type as pt, principal_id as p, issues from mandates tablesample system (2) repeatable (7) limit 4000`);
const guardianPairs = await q<{ g: string; c: string }>('select guardian_id as g, child_id as c from guardianships tablesample system (2) repeatable (7) limit 1500');
const rolePairs = await q<{ p: string; o: string }>('select person_id as p, organization_id as o from organization_roles tablesample system (10) repeatable (7) limit 500');
const somePersons = (await q<{ id: string }>('select id from persons tablesample system (1) repeatable (7) limit 6000')).map((r) => r.id);
const heavyAgents = (await q<{ a: string }>(`select distinct agent_id as a from mandates where id like '${HEAVY_MANDATE_PREFIX}%'`)).map((r) => r.a);

interface Body { actor: { type: string; id: string }; principal: { type: string; id: string }; issue: string }
const checkBodies: Body[] = [];
for (const m of mandatePairs) checkBodies.push({ actor: { type: m.at, id: m.a }, principal: { type: m.pt, id: m.p }, issue: Math.random() < 0.8 ? m.issues[0]! : pickIssue() });
for (const g of guardianPairs) checkBodies.push({ actor: { type: 'person', id: g.g }, principal: { type: 'person', id: g.c }, issue: pickIssue() });
for (const r of rolePairs) checkBodies.push({ actor: { type: 'person', id: r.p }, principal: { type: 'organization', id: r.o }, issue: pickIssue() });
for (let i = 0; i + 1 < somePersons.length; i += 2) checkBodies.push({ actor: { type: 'person', id: somePersons[i]! }, principal: { type: 'person', id: somePersons[i + 1]! }, issue: pickIssue() });
const principalsBodies = heavyAgents.map((a) => JSON.stringify({ actor: { type: 'person', id: a }, issue: 'housing' }));
if (principalsBodies.length === 0) throw new Error('no agent with 50 principals in the data (too few mandates?)');

// ---- the server, as deployed ----
// An API process as the national deployment runs it (deploy/k8s: PUOLESTA_WORKER=off; the outbox has worker processes of its own).
// The logger main.ts makes (same options, same kind of destination), writing to /dev/null.
const logger = createLogger(process.env.LOG_LEVEL ?? 'info', logDestination('/dev/null'));
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
gc();
// The compact index lives mostly in typed arrays, whose memory Node counts in arrayBuffers, not heapUsed.
const indexMemory = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const heapBefore = indexMemory();
let t = performance.now();
const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'production', databaseUrl: url, apiClients: [] }, handle: h, logger, serveWeb: false, worker: false });
// The index loads in the background (checks meanwhile come from the database): measure the loaded index.
await p.indexReady;
const indexLoadSeconds = (performance.now() - t) / 1000;
gc();
const indexHeapMB = (indexMemory() - heapBefore) / 1e6;
const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
log(`server up at ${address} after ${indexLoadSeconds.toFixed(1)} s (index heap ≈ ${indexHeapMB.toFixed(0)} MB)`);

// Sanity: how many of the bodies are allowed (answers from the running server's index).
let allowedShare = 0;
{
  let allowed = 0;
  for (const b of checkBodies) {
    const d = await p.ctx.index.check({ actor: b.actor as never, principal: b.principal as never, issue: b.issue, municipality: MUNICIPALITY, date: today });
    if (d.allowed) allowed++;
  }
  allowedShare = allowed / checkBodies.length;
}
const auth = `Basic ${Buffer.from(`demo-${MUNICIPALITY}:demo-secret-${MUNICIPALITY}`).toString('base64')}`;
const probe = await fetch(`${address}/api/v1/authorizations/check`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(checkBodies[0]) });
if (probe.status !== 200) throw new Error(`check answered ${probe.status}: ${await probe.text()}`);

// ---- the bare route, in a process of its own ----
const bare = spawn(process.execPath, [BARE], { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('.', import.meta.url)) });
const bareAddress = await new Promise<string>((resolve, reject) => {
  let out = '';
  bare.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.trim()); });
  bare.on('exit', (code) => reject(new Error(`bare server exited ${code}`)));
});
log(`bare Fastify route at ${bareAddress}`);

interface LoadResult { requests: number; seconds: number; rps: number; p50: number; p90: number; p99: number; max: number; non2xx: number; errors: number; timeouts: number; late: number }
function load(cfg: { method: string; path: string; bodies?: string[]; connections: number; duration: number; rate?: number; url?: string }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const file = join(tmpdir(), `puolesta-bench-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ url: cfg.url ?? address, generator, headers: cfg.method === 'POST' ? { authorization: auth, 'content-type': 'application/json' } : {}, ...cfg }));
    const child = spawn(process.execPath, [WORKER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load worker exited ${code}`))));
  });
}
const bodiesJson = checkBodies.map((b) => JSON.stringify(b));
const warm = (c: Omit<Parameters<typeof load>[0], 'duration'>) => load({ ...c, duration: 2 });

const CHECK = { method: 'POST', path: '/api/v1/authorizations/check', bodies: bodiesJson };
const PRINCIPALS = { method: 'POST', path: '/api/v1/authorizations/principals', bodies: principalsBodies };
const HEALTH = { method: 'GET', path: '/health' };
// The same requests (method, headers, bodies) to the bare route: only the server differs.
const BARE_POST = { method: 'POST', path: '/bare', bodies: bodiesJson, url: bareAddress };
const BARE_GET = { method: 'GET', path: '/bare', url: bareAddress };

// Rounds: the bare route and the check one after the other, `rounds` times; each figure is the median
// round's. Two processes on two shared cores vary by ±10 % from run to run (and a sub-millisecond p99
// more): a ratio taken within each round, then the median of those, is what another run reproduces.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
const medianRun = <T>(rs: T[], by: (r: T) => number): T => { const m = median(rs.map(by)); return rs.find((r) => by(r) === m)!; };

log('bare Fastify route at saturation …');
await warm({ ...BARE_POST, connections });
const bareGet = await load({ ...BARE_GET, connections, duration: Math.max(3, duration / 2) });

log('HTTP at saturation …');
await warm({ ...HEALTH, connections });
const health = await load({ ...HEALTH, connections, duration });
await warm({ ...CHECK, connections });
let session: Session | undefined;
// CPU seconds (user, system) a process has used so far, from /proc (Linux); null elsewhere.
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function cpuSeconds(pid: number): { user: number; system: number } | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return { user: Number(fields[11]) / TICK, system: Number(fields[12]) / TICK };
  } catch { return null; }
}
interface CpuPerRequest { user: number; system: number; total: number }
/** Runs the load and returns it with the CPU µs per request the serving process spent meanwhile. */
type Measured = LoadResult & { cpu: CpuPerRequest | null };
async function measured(pid: number, cfg: Parameters<typeof load>[0]): Promise<Measured> {
  const before = cpuSeconds(pid);
  const r = await load(cfg);
  const after = cpuSeconds(pid);
  if (!before || !after || r.requests === 0) return { ...r, cpu: null };
  const per = (s: number) => Math.round((s * 1e6 / r.requests) * 10) / 10;
  const user = per(after.user - before.user), system = per(after.system - before.system);
  return { ...r, cpu: { user, system, total: Math.round((user + system) * 10) / 10 } };
}
const heapProfile = argv.includes('--heap-profile');
type HeapNode = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: HeapNode[] };
/** Where the server allocates while `during` runs (every object sampled, also those collected since): the top sites and KB per request. */
async function allocations(what: string, during: () => Promise<LoadResult | void>) {
  const s = new Session();
  s.connect();
  await s.post('HeapProfiler.enable');
  await s.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  const t0 = performance.now();
  const r = await during();
  const secs = (performance.now() - t0) / 1000;
  const { profile: hp } = await s.post('HeapProfiler.stopSampling') as unknown as { profile: { head: HeapNode } };
  s.disconnect();
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode, stack: string[]) => {
    const here = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, '')}:${n.callFrame.lineNumber}`;
    const st = [...stack, here].slice(-4);
    if (n.selfSize) { const k = st.join(' < '); by.set(k, (by.get(k) ?? 0) + n.selfSize); total += n.selfSize; }
    for (const c of n.children) walk(c, st);
  };
  walk(hp.head, []);
  console.log(`\nAllocations, ${what}: ${(total / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s${r ? `, ${r.requests} requests, ${(total / r.requests / 1000).toFixed(1)} KB a request` : ''}`);
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${(v / 1e6).toFixed(2).padStart(8)} MB  ${k}`);
}
if (heapProfile) {
  await allocations('idle 5 s', () => new Promise<void>((r) => setTimeout(r, 5000)));
  await allocations('check at 2000/s', () => load({ ...CHECK, connections: 16, duration: 5, rate: 2000 }));
  await allocations('check at saturation', () => load({ ...CHECK, connections, duration: 5 }));
  bare.kill();
  process.exit(0);
}
const barePosts: Measured[] = [];
const checks: Measured[] = [];
let profileSummary: ReturnType<typeof summariseProfile> | undefined;
for (let round = 0; round < rounds; round++) {
  log(`  round ${round + 1} of ${rounds}: bare POST, then the check`);
  barePosts.push(await measured(bare.pid!, { ...BARE_POST, connections, duration }));
  if (profile && round === 0) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  checks.push(await measured(process.pid, { ...CHECK, connections, duration }));
  if (session) {
    const { profile: cpu } = await session.post('Profiler.stop') as { profile: CpuProfile };
    session.disconnect();
    session = undefined;
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/check.cpuprofile`, JSON.stringify(cpu));
    profileSummary = summariseProfile(cpu, ROOT);
  }
}
const saturationRatios = checks.map((c, i) => c.rps / barePosts[i]!.rps);
const barePost = medianRun(barePosts, (r) => r.rps);
const check = medianRun(checks, (r) => r.rps);
await warm({ ...PRINCIPALS, connections });
const principals = await load({ ...PRINCIPALS, connections, duration });
const health2 = await load({ ...HEALTH, connections, duration: Math.max(3, duration / 2) });
log('HTTP at fixed rates …');
// The baseline at the same fixed rate: the tail this machine gives the trivial route (scheduling
// of server, load generator and PostgreSQL on two cores) is the floor for the check's tail.
const health2000 = await load({ ...HEALTH, connections: 16, duration, rate: 2000 });
const bare2000s: LoadResult[] = [];
const check2000s: LoadResult[] = [];
for (let round = 0; round < rounds; round++) {
  log(`  round ${round + 1} of ${rounds}: bare POST, then the check, at 2,000/s`);
  bare2000s.push(await load({ ...BARE_POST, connections: 16, duration, rate: 2000 }));
  check2000s.push(await load({ ...CHECK, connections: 16, duration, rate: 2000 }));
}
const p99Ratios = check2000s.map((c, i) => c.p99 / bare2000s[i]!.p99);
const bare2000 = medianRun(bare2000s, (r) => r.p99);
const check2000 = medianRun(check2000s, (r) => r.p99);
bare.kill();
// Warmed like the other figures: the principals route last ran minutes ago (steady state, not its first seconds).
await warm({ ...PRINCIPALS, connections: 8, rate: 500 });
const principals500 = await load({ ...PRINCIPALS, connections: 8, duration, rate: 500 });
// The same with every name read from the registers, as for agents whose lists no one read lately:
// the bench's agents are few, so above their principals' names come from the name cache.
const names = p.ctx.names;
p.ctx.names = undefined;
const principalsUncached500 = await load({ ...PRINCIPALS, connections: 8, duration, rate: 500 });
p.ctx.names = names;

// ---- in process, one core ----
log('in process …');
// Queries as a request delivers them: strings fresh from JSON.parse, not the database driver's.
const queries: CheckQuery[] = bodiesJson.map((j) => JSON.parse(j) as Body).map((b) => ({ actor: b.actor as never, principal: b.principal as never, issue: b.issue, municipality: MUNICIPALITY, date: today as LocalDate }));
const mask = 4095;
const qs = Array.from({ length: mask + 1 }, () => queries[(Math.random() * queries.length) | 0]!);
async function perSecond(fn: (q: CheckQuery) => unknown, seconds: number) {
  for (let i = 0; i < 50_000; i++) await fn(qs[i & mask]!);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++, n++) await fn(qs[n & mask]!);
    // Let timers and I/O run between batches, as a serving process does (the lease heartbeat).
    await new Promise((r) => setImmediate(r));
  }
  return n / ((performance.now() - start) / 1000);
}
const inProcessAsync = await perSecond((x) => p.ctx.index.check(x), 3);
let sink = 0;
const inProcessSync = await perSecond((x) => { sink += decide(x, p.ctx.index.relations(x.actor, x.principal)).allowed ? 1 : 0; }, 3);

// ---- report ----
const healthBest = Math.max(health.rps, health2.rps);
const r2 = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => Math.round(x).toLocaleString('en');
const row = (name: string, r: LoadResult, target = '') => ({ name, rps: Math.round(r.rps), p50: r2(r.p50), p99: r2(r.p99), max: r2(r.max), non2xx: r.non2xx + r.errors + r.timeouts, late: r.late, target });
const ratioToBare = median(saturationRatios);
const p99ToBare = median(p99Ratios);
// CPU per request: the median round's of each (the server of the check is this process, which meanwhile only waits for the load worker).
const cpuMedian = (rs: Measured[]) => { const ok = rs.flatMap((r) => (r.cpu ? [r.cpu] : [])); return ok.length ? medianRun(ok, (x) => x.total) : null; };
const bareCpu = cpuMedian(barePosts);
const checkCpuMedian = cpuMedian(checks);
const roundsText = (xs: number[]) => xs.map((x) => `${r2(x)}×`).join(', ');
const results = {
  date: new Date().toISOString(),
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  data: { persons, mandates, schema, seed, generation, allowedShareOfCheckBodies: r2(allowedShare), checkBodies: checkBodies.length, principalsAgents: heavyAgents.length },
  server: { indexLoadSeconds: r2(indexLoadSeconds), indexHeapMB: Math.round(indexHeapMB), logging: `pino ${logger.level} → /dev/null (createLogger + logDestination, as main.ts)`, connections, duration },
  loadGenerator: `saturation: ${generator === 'wrk' ? 'wrk (one thread)' : 'autocannon 8'} in a process of its own (load-worker.mjs); fixed rates: autocannon paced per connection, late sends counted in the latency`,
  http: {
    bareGet: row('GET bare Fastify route (saturation)', bareGet),
    barePost: row('POST bare Fastify route, check bodies (saturation)', barePost),
    health: row('GET /health (saturation)', health),
    healthAgain: row('GET /health (saturation, after)', health2),
    check: row('POST check (saturation)', check, `≥ 0.5 × bare: ${r2(ratioToBare)}×`),
    principals: row('POST principals, 50 principals (saturation)', principals),
    bare2000: row('POST bare Fastify route at 2,000/s (baseline)', bare2000),
    health2000: row('GET /health at 2,000/s', health2000),
    check2000: row('POST check at 2,000/s', check2000, `p99 ≤ 1.2 × bare p99: ${r2(p99ToBare)}×`),
    principals500: row('POST principals at 500/s', principals500, `p99 < 5 ms: ${principals500.p99 < 5 ? 'met' : 'missed'}`),
    principalsUncached500: row('POST principals at 500/s, names not cached', principalsUncached500),
  },
  cpuPerRequestMicroseconds: { barePost: bareCpu, check: checkCpuMedian, barePostRounds: barePosts.map((r) => r.cpu), checkRounds: checks.map((r) => r.cpu) },
  rounds: { saturationRatios: saturationRatios.map(r2), p99Ratios: p99Ratios.map(r2), barePostRps: barePosts.map((r) => Math.round(r.rps)), checkRps: checks.map((r) => Math.round(r.rps)), bare2000P99: bare2000s.map((r) => r2(r.p99)), check2000P99: check2000s.map((r) => r2(r.p99)) },
  ratioCheckToBare: r2(ratioToBare),
  ratioCheckToHealth: r2(check.rps / healthBest),
  p99RatioCheckToBareAt2000: r2(p99ToBare),
  inProcess: {
    indexCheckPerSecond: Math.round(inProcessAsync),
    decideOverRelationsPerSecond: Math.round(inProcessSync),
    target: `≥ 100,000/s: ${inProcessAsync >= 100_000 ? 'met' : 'missed'}`,
  },
  targets: {
    checkThroughputRatio: ratioToBare >= 0.5,
    check2000P99: p99ToBare <= 1.2,
    principals500P99: principals500.p99 < 5,
    inProcess: inProcessAsync >= 100_000,
  },
  ...(profileSummary ? { profile: profileSummary } : {}),
  report: [
    { figure: 'check throughput vs bare Fastify route', value: r2(ratioToBare), unit: '×', baseline: `median of ${rounds} rounds (${roundsText(saturationRatios)}); median round: bare Fastify POST route ${fmt(barePost.rps)} req/s, check ${fmt(check.rps)} req/s (${connections} connections, ${duration} s each, ${generator})`, goal: '≥ 0.5×', met: ratioToBare >= 0.5 },
    { figure: 'check p99 at 2,000 req/s vs bare route p99', value: r2(p99ToBare), unit: '×', baseline: `median of ${rounds} rounds (${roundsText(p99Ratios)}); median round: bare route p99 ${r2(bare2000.p99)} ms, check p99 ${r2(check2000.p99)} ms`, goal: '≤ 1.2×', met: p99ToBare <= 1.2 },
    ...(bareCpu && checkCpuMedian ? [{ figure: 'CPU per request at saturation, check vs bare POST route', value: r2(checkCpuMedian.total / bareCpu.total), unit: '×', baseline: `median of ${rounds} rounds, /proc/PID/stat: bare route ${bareCpu.total} µs (user ${bareCpu.user}, system ${bareCpu.system}); check ${checkCpuMedian.total} µs (user ${checkCpuMedian.user}, system ${checkCpuMedian.system})`, goal: '', met: null }] : []),
    { figure: 'GET /health throughput vs bare GET route', value: r2(healthBest / bareGet.rps), unit: '×', baseline: `bare GET ${fmt(bareGet.rps)} req/s; /health ${fmt(healthBest)} req/s`, goal: '', met: null },
    { figure: 'principals (50) p99 at 500 req/s', value: r2(principals500.p99), unit: 'ms', baseline: `bare route p99 at 2,000/s ${r2(bare2000.p99)} ms; ${heavyAgents.length} agents, their principals' names from the process's name cache`, goal: '< 5 ms', met: principals500.p99 < 5 },
    { figure: 'principals (50) p99 at 500 req/s, every name read from the registers', value: r2(principalsUncached500.p99), unit: 'ms', baseline: `p50 ${r2(principalsUncached500.p50)} ms; with the name cache p99 ${r2(principals500.p99)} ms`, goal: '', met: null },
    { figure: 'in-process check (index)', value: Math.round(inProcessAsync), unit: 'checks/s', baseline: `decide() over index.relations ${fmt(inProcessSync)}/s`, goal: '≥ 100,000/s', met: inProcessAsync >= 100_000 },
    { figure: `index load, ${persons.toLocaleString('en')} persons / ${mandates.toLocaleString('en')} mandates`, value: r2(indexLoadSeconds), unit: 's', baseline: `heap ≈ ${Math.round(indexHeapMB)} MB`, goal: '', met: null },
  ],
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/check.json`, `${JSON.stringify(results, null, 2)}\n`);

const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`\nPuolesta check benchmark — ${persons.toLocaleString('en')} persons, ${mandates.toLocaleString('en')} mandates, ${results.machine.cpus} cores (load generator included), index loaded in ${r2(indexLoadSeconds)} s, ~${Math.round(indexHeapMB)} MB heap\n`);
console.log(`${pad('', 46)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}target`);
for (const r of Object.values(results.http)) console.log(`${pad(r.name, 46)}${pad(r.rps, 9)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.non2xx, 8)}${r.target}`);
console.log(`${pad('in-process ctx.index.check', 46)}${pad(results.inProcess.indexCheckPerSecond, 9)}${pad('', 26)}${results.inProcess.target}`);
console.log(`${pad('in-process decide(index.relations)', 46)}${pad(results.inProcess.decideOverRelationsPerSecond, 9)}`);
if (profileSummary) {
  console.log('\nCPU profile of the server while the check ran at saturation (self time):');
  for (const g of profileSummary.byPackage.slice(0, 12)) console.log(`  ${pad(g.package, 44)}${pad(`${g.percent} %`, 9)}`);
  console.log('  top functions:');
  for (const f of profileSummary.topFunctions.slice(0, 15)) console.log(`  ${pad(`${f.percent} %`, 8)}${f.function} (${f.package}: ${f.location})`);
}
console.log(`\ncheck / bare = ${results.ratioCheckToBare}; check p99 / bare p99 at 2,000/s = ${results.p99RatioCheckToBareAt2000}; check / health = ${results.ratioCheckToHealth}; ${Math.round(allowedShare * 100)} % of check bodies allowed. Written to bench/results/check.json${sink < 0 ? '' : ''}`);

await p.close();
await h.close();
