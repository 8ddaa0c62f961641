/**
 * `npm run bench:index [-- --persons N] [--mandates M] [--seed S] [--schema NAME] [--regenerate] [--seconds S]`
 *
 * The authorization index at national scale (issue 12 item 2, decision 0019). Generates (once; reused
 * while size and seed match) a population into a schema of the PostgreSQL database of DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test; schema bench_national for 5,600,000 persons,
 * bench_c1m for 1,000,000, else bench_p<N>), then in this process:
 *   - loads the index (AuthorizationIndex.start: the snapshot by COPY, the first lease) and times it;
 *   - measures memory after a forced GC: JavaScript heap and typed-array memory, each as the growth
 *     over the process before the load (the goal counts both);
 *   - compares decide() over the index's relations with decide() over the database's for sampled pairs;
 *   - counts in-process checks per second (index.check, one core).
 * Writes bench/results/index.json (one entry per size run, and the report rows of every size present).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asMunicipalityCode, decide, helsinkiDate, type CheckQuery, type LocalDate, type PartyRef } from '@puolesta/domain';
import { sql } from '../src/db/database.js';
import { AuthorizationIndex } from '../src/services/authorization-index.js';
import { loadRelations } from '../src/repositories/registers.repository.js';
import { ensureBenchData } from './bench-data.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const num = (name: string, dflt: number) => { const v = opt(name); return v === undefined ? dflt : Number(v.replace(/_/g, '')); };
const persons = num('--persons', 5_600_000);
const mandates = num('--mandates', 2 * persons);
const seconds = num('--seconds', 3);
const seed = opt('--seed') ?? '1';
const schema = opt('--schema') ?? (persons === 5_600_000 ? 'bench_national' : persons === 1_000_000 ? 'bench_c1m' : `bench_p${persons}`);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (...a: unknown[]) => console.error('[bench:index]', ...a);

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const mem = () => { gc(); gc(); const m = process.memoryUsage(); return { heap: m.heapUsed, arrays: m.arrayBuffers, rss: m.rss }; };

const { h, data } = await ensureBenchData({ url, schema, persons, mandates, seed, regenerate: argv.includes('--regenerate') });
await sql`delete from authz_nodes`.execute(h.db);
// Counting and sampling 11 M rows outlast the pool's statement timeout: the slow connection has none.
const slow = h.slowDb ?? h.db;
const counts = (await sql<{ persons: number; organizations: number; mandates: number; guardianships: number; roles: number }>`select
    (select count(*) from persons)::int as persons, (select count(*) from organizations)::int as organizations, (select count(*) from mandates)::int as mandates,
    (select count(*) from guardianships)::int as guardianships, (select count(*) from organization_roles)::int as roles`.execute(slow)).rows[0]!;

// ---- load ----
const loadBefore = loadavg()[0]!;
const before = mem();
const t0 = performance.now();
const index = new AuthorizationIndex(h);
await index.start();
const loadSeconds = (performance.now() - t0) / 1000;
const after = mem();
const heapMB = (after.heap - before.heap) / 2 ** 20;
const arraysMB = (after.arrays - before.arrays) / 2 ** 20;
const totalMB = heapMB + arraysMB;
log(`loaded ${counts.persons} persons, ${counts.mandates} mandates in ${loadSeconds.toFixed(1)} s: heap +${heapMB.toFixed(0)} MiB, typed arrays +${arraysMB.toFixed(0)} MiB (load average ${loadBefore.toFixed(1)})`);

// ---- the same answers as the database, for sampled pairs ----
const q = async <T>(text: string) => (await sql.raw<T>(text).execute(slow)).rows;
const issues = (await q<{ code: string }>('select code from issues')).map((r) => r.code);
const pickIssue = () => issues[(Math.random() * issues.length) | 0]!;
const mandatePairs = await q<{ at: 'person' | 'organization'; a: string; pt: 'person' | 'organization'; p: string; issues: string[] }>(
  `select agent_type as at, agent_id as a, principal_type as pt, principal_id as p, issues from mandates tablesample system (0.5) repeatable (7) limit 4000`);
const guardianPairs = await q<{ g: string; c: string }>('select guardian_id as g, child_id as c from guardianships tablesample system (0.5) repeatable (7) limit 1500');
const rolePairs = await q<{ p: string; o: string }>('select person_id as p, organization_id as o from organization_roles tablesample system (2) repeatable (7) limit 500');
const somePersons = (await q<{ id: string }>('select id from persons tablesample system (0.2) repeatable (7) limit 6000')).map((r) => r.id);
const today = helsinkiDate(Date.now()) as LocalDate;
const MUNICIPALITY = asMunicipalityCode('245');
const queries: CheckQuery[] = [];
const ref = (type: string, id: string) => ({ type, id } as PartyRef);
for (const m of mandatePairs) queries.push({ actor: ref(m.at, m.a), principal: ref(m.pt, m.p), issue: Math.random() < 0.8 ? m.issues[0]! : pickIssue(), municipality: MUNICIPALITY, date: today });
for (const g of guardianPairs) queries.push({ actor: ref('person', g.g), principal: ref('person', g.c), issue: pickIssue(), municipality: MUNICIPALITY, date: today });
for (const r of rolePairs) queries.push({ actor: ref('person', r.p), principal: ref('organization', r.o), issue: pickIssue(), municipality: MUNICIPALITY, date: today });
for (let i = 0; i + 1 < somePersons.length; i += 2) queries.push({ actor: ref('person', somePersons[i]!), principal: ref('person', somePersons[i + 1]!), issue: pickIssue(), municipality: MUNICIPALITY, date: today });
let compared = 0, mismatches = 0, allowed = 0;
for (let i = 0; i < queries.length; i += 10) {
  const x = queries[i]!;
  const want = decide(x, await loadRelations(h.db, x.actor, x.principal));
  const got = decide(x, index.relations(x.actor, x.principal));
  compared++;
  if (JSON.stringify(want) !== JSON.stringify(got)) { mismatches++; if (mismatches <= 3) log('MISMATCH', JSON.stringify({ want, got })); }
}
for (const x of queries) if (decide(x, index.relations(x.actor, x.principal)).allowed) allowed++;
log(`${compared} sampled pairs compared with the database: ${mismatches} differ; ${Math.round((100 * allowed) / queries.length)} % of ${queries.length} queries allowed`);

// ---- in process, one core ----
// Queries as a request delivers them: strings fresh from JSON.parse.
const qs = Array.from({ length: 4096 }, () => JSON.parse(JSON.stringify(queries[(Math.random() * queries.length) | 0]!)) as CheckQuery);
async function perSecond(fn: (x: CheckQuery) => unknown, s: number) {
  for (let i = 0; i < 50_000; i++) await fn(qs[i & 4095]!);
  let n = 0;
  const start = performance.now();
  const end = start + s * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++, n++) await fn(qs[n & 4095]!);
    await new Promise((r) => setImmediate(r));
  }
  return n / ((performance.now() - start) / 1000);
}
if (!index.isFresh()) await index.refresh();
const checksPerSecond = await perSecond((x) => index.check(x), seconds);
log(`in-process index.check: ${Math.round(checksPerSecond)}/s`);
const loadAfter = loadavg()[0]!;
await index.stop();
await h.close();

// ---- results ----
const r1 = (x: number) => Math.round(x * 10) / 10;
const run = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version, loadAverage1m: { atLoad: r1(loadBefore), atEnd: r1(loadAfter) } },
  data: { ...data, schema, counts },
  loadSeconds: r1(loadSeconds),
  memoryMiB: { heap: Math.round(heapMB), typedArrays: Math.round(arraysMB), total: Math.round(totalMB), rssAfter: Math.round(after.rss / 2 ** 20) },
  sameAsDatabase: { compared, mismatches },
  allowedShare: Math.round((100 * allowed) / queries.length) / 100,
  inProcessChecksPerSecond: Math.round(checksPerSecond),
  command: `npm run bench:index -- --persons ${persons}${mandates !== 2 * persons ? ` --mandates ${mandates}` : ''}`,
};
const file = `${ROOT}bench/results/index.json`;
mkdirSync(`${ROOT}bench/results`, { recursive: true });
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs?: Record<string, typeof run> }).runs ?? {} : {};
const runs: Record<string, typeof run> = { ...previous, [`${persons}/${mandates}`]: run };

type Row = { figure: string; value: number | string; unit: string; baseline: string; goal: string; met: boolean | null };
const report: Row[] = [];
for (const r of Object.values(runs).sort((a, b) => b.data.persons - a.data.persons)) {
  const size = `${(r.data.persons / 1e6).toLocaleString('en')} M persons / ${(r.data.counts.mandates / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} M mandates`;
  const national = r.data.persons >= 5_600_000;
  const oneMillion = r.data.persons === 1_000_000;
  const load = `load average ${r.machine.loadAverage1m.atLoad} on ${r.machine.cpus} cores`;
  report.push({
    figure: `index memory, ${size} (heap ${r.memoryMiB.heap} MiB + typed arrays ${r.memoryMiB.typedArrays} MiB)`, value: r.memoryMiB.total, unit: 'MiB',
    baseline: oneMillion ? 'before decision 0019: ~1.1 GB heap (1 M / 2 M)' : 'before decision 0019: ~5–6 GB projected for the country',
    goal: national ? '≤ 2048 MiB' : '', met: national ? r.memoryMiB.total <= 2048 : null,
  });
  report.push({
    figure: `index load, ${size}`, value: r.loadSeconds, unit: 's',
    baseline: `${oneMillion ? 'before decision 0019: 22–43 s (1 M / 2 M)' : 'before decision 0019: minutes projected'}; ${load}`,
    goal: national ? '≤ 60 s' : '', met: national ? r.loadSeconds <= 60 : null,
  });
  report.push({
    figure: `in-process index.check, ${size} (one core; ${r.sameAsDatabase.mismatches} of ${r.sameAsDatabase.compared} sampled answers differ from the database's)`,
    value: r.inProcessChecksPerSecond, unit: 'checks/s', baseline: 'before decision 0019: 127,000/s (1 M / 2 M, quiet machine)', goal: '≥ 100,000/s',
    met: r.inProcessChecksPerSecond >= 100_000 && r.sameAsDatabase.mismatches === 0,
  });
}
writeFileSync(file, `${JSON.stringify({ runs, report }, null, 2)}\n`);
console.log(`\nAuthorization index — ${counts.persons.toLocaleString('en')} persons, ${counts.mandates.toLocaleString('en')} mandates (schema ${schema})`);
console.log(`  load ${r1(loadSeconds)} s; heap +${Math.round(heapMB)} MiB, typed arrays +${Math.round(arraysMB)} MiB, total ${Math.round(totalMB)} MiB`);
console.log(`  ${mismatches} of ${compared} sampled answers differ from the database's; in-process ${Math.round(checksPerSecond).toLocaleString('en')} checks/s`);
console.log(`  load average ${r1(loadBefore)} → ${r1(loadAfter)} on ${cpus().length} cores. Written to bench/results/index.json`);
if (mismatches > 0) process.exitCode = 1;
