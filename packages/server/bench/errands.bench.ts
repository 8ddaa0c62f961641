/**
 * `npm run bench:errands [-- --iterations N] [--warmup W]`
 *
 * What submitting an errand (with its parties and messages) costs, beside the bare grant route, in
 * the same run: the app in process (demo mode, no outbox worker: messages are written to the outbox,
 * not delivered, as in notify.bench.ts's grant phase) on PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), in a schema of its own
 * (`bench_errands`, dropped and recreated, seeded with the demo fixture, dropped again at the end).
 * Requests go through `app.inject` (Fastify's in-process injection, as notify.bench.ts does: routing,
 * validation, session and CSRF hooks, serialisation; no sockets).
 *
 * Each round runs these four, in an order that rotates from round to round (so drift — the tables
 * growing — falls on all alike), N rounds after W rounds of warm-up:
 *   - grant: `POST /api/v1/mandates`, a fixture person grants a new mandate (a fresh agent or end
 *     date each time), writing its events and messages — the baseline;
 *   - B submit: Elias's building-permit on property 753-401-3-45 (draft created first, timed apart),
 *     `POST /api/v1/errands/{id}/submit` → awaiting-signatures: his signature, Noora asked to sign;
 *   - C submit: Sanna's ECE application for Ella in Sipoo (753, policy notify): draft, then submit →
 *     submitted, Jari told;
 *   - B path: another building permit: submit, then Noora (having read it: a GET, not timed) signs
 *     the version she saw (`POST /api/v1/errands/{id}/responses`) → submitted; timed apart and as a total.
 * The drafts' `POST /api/v1/errands` are timed too (create). Reports p50/p99/mean/max (ms), sequential
 * throughput (ops/s = 1000 / mean), each operation's mean against the grant's mean, and the messages
 * (and outbox rows) each writes. Prints a table and writes bench/results/errands.json at the
 * repository root. Not part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, sql, type DatabaseHandle } from '../src/db/database.js';
import { FORMS } from '../src/forms/forms.js';
import { PARTY_LOOKUP_LIMIT } from '../src/http/rate-limit.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// ---- options ----
const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const num = (name: string, dflt: number) => { const v = opt(name); return v === undefined ? dflt : Number(v.replace(/_/g, '')); };
const N = num('--iterations', 300);
const W = num('--warmup', 30);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_errands';
const log = (...a: unknown[]) => console.error('[bench]', ...a);

/** The demo fixture's people in these situations. */
const ELIAS = '111285-9135';
const NOORA = '230387-9146';
const SANNA = '090672-903B';
const ELLA = '120411A9061';
const PROPERTY = '753-401-3-45';

type Json = Record<string, any>;
type Headers = Record<string, string>;
const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;

// ---- the database ----
async function dropSchema() {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`drop schema if exists ${SCHEMA} cascade`);
  } finally {
    await c.end();
  }
}

async function counts(h: DatabaseHandle) {
  const r = await sql<{ m: string; d: string }>`select (select count(*) from notifications) as m, (select count(*) from deliveries) as d`.execute(h.db);
  return { messages: Number(r.rows[0]!.m), outbox: Number(r.rows[0]!.d) };
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}

// ---- the run ----
async function run(p: Puolesta, h: DatabaseHandle) {
  const inject = async (method: 'GET' | 'POST', url: string, headers: Headers, payload?: object) => {
    const r = await p.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: (r.body ? r.json() : {}) as Json };
  };
  const as = async (person: string): Promise<Headers | null> => {
    const r = await p.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person } });
    if (r.statusCode !== 200) return null;
    const cookie = `puolesta_session=${r.cookies.find((x) => x.name === 'puolesta_session')!.value}`;
    const me = await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    return { cookie, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken };
  };
  const must = async (who: string) => { const s = await as(who); if (!s) throw new Error(`cannot log in as a fixture person`); return s; };
  const expectStatus = (what: string, r: { status: number; body: Json }, code: number, status?: string) => {
    if (r.status !== code || (status !== undefined && r.body.status !== status)) {
      throw new Error(`${what} answered ${r.status} ${JSON.stringify(r.body)} (expected ${code}${status ? ` ${status}` : ''})`);
    }
  };

  // ---- grants, as notify.bench.ts builds them: principals who may grant on their own, each with a session ----
  const persons = (await h.db.selectFrom('persons').select('id').orderBy('id').execute()).map((r) => r.id);
  const today = helsinkiDate(new Date());
  let g = 0;
  const grantBody = (agent: string) => {
    // Every grant a new mandate: the agent cycles and the end date moves on with each grant.
    const body = { agent: { type: 'person', id: agent }, issues: ['housing'], validUntil: addDays(today, 90 + (g % 600)) };
    g++;
    return body;
  };
  const principals: { id: string; headers: Headers }[] = [];
  for (const id of persons) {
    const headers = await as(id);
    if (!headers) continue;
    const r = await inject('POST', '/api/v1/mandates', headers, grantBody(persons.find((x) => x !== id)!));
    if (r.status === 201 && r.body.status === 'active') principals.push({ id, headers });
  }
  if (principals.length < 2) throw new Error('too few fixture persons can grant');
  // Each grant names an agent: one party look-up from the principal's budget (60 per 10 minutes).
  const perPrincipal = Math.ceil((W + N) / principals.length) + 1;
  if (perPrincipal > PARTY_LOOKUP_LIMIT.limit) {
    throw new Error(`${W + N} grants over ${principals.length} principals is ${perPrincipal} each, over the party look-up budget (${PARTY_LOOKUP_LIMIT.limit} per ${PARTY_LOOKUP_LIMIT.windowMs / 60_000} min): use fewer --iterations`);
  }
  let gi = 0;

  const elias = await must(ELIAS);
  const noora = await must(NOORA);
  const sanna = await must(SANNA);
  const permit = { municipality: '753', service: 'building-permit', subject: { type: 'property', id: PROPERTY }, data: example('building-permit') };
  const ece = { municipality: '753', service: 'ece-application', subject: { type: 'person', id: ELLA }, data: example('ece-application') };

  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await f();
    return [r, performance.now() - t0];
  };
  const samples = {
    grant: [] as number[], createPermit: [] as number[], createEce: [] as number[],
    submitB: [] as number[], submitC: [] as number[], pathSubmit: [] as number[], pathSign: [] as number[], pathTotal: [] as number[],
  };
  const written = {
    grant: { messages: 0, outbox: 0 }, create: { messages: 0, outbox: 0 }, submitB: { messages: 0, outbox: 0 },
    submitC: { messages: 0, outbox: 0 }, pathSubmit: { messages: 0, outbox: 0 }, pathSign: { messages: 0, outbox: 0 },
  };
  let recording = false;
  /** Adds what the database gained since `before` to `into` (counted outside the timed part). */
  const tally = async (into: keyof typeof written, before: { messages: number; outbox: number }) => {
    const after = await counts(h);
    if (recording) { written[into].messages += after.messages - before.messages; written[into].outbox += after.outbox - before.outbox; }
    return after;
  };
  const record = (into: keyof typeof samples, ms: number) => { if (recording) samples[into].push(ms); };

  const draft = async (who: Headers, body: object, into: 'createPermit' | 'createEce') => {
    const before = await counts(h);
    const [r, ms] = await timed(() => inject('POST', '/api/v1/errands', who, body));
    expectStatus('create', r, 201, 'draft');
    record(into, ms);
    await tally('create', before);
    return r.body.id as string;
  };

  const units: Record<string, () => Promise<void>> = {
    grant: async () => {
      const pr = principals[gi % principals.length]!;
      const agents = persons.filter((x) => x !== pr.id);
      const agent = agents[Math.floor(gi / principals.length) % agents.length]!;
      gi++;
      const body = grantBody(agent);
      const before = await counts(h);
      const [r, ms] = await timed(() => inject('POST', '/api/v1/mandates', pr.headers, body));
      expectStatus('grant', r, 201);
      record('grant', ms);
      await tally('grant', before);
    },
    submitB: async () => {
      const id = await draft(elias, permit, 'createPermit');
      const before = await counts(h);
      const [r, ms] = await timed(() => inject('POST', `/api/v1/errands/${id}/submit`, elias, {}));
      expectStatus('building-permit submit', r, 200, 'awaiting-signatures');
      record('submitB', ms);
      await tally('submitB', before);
    },
    submitC: async () => {
      const id = await draft(sanna, ece, 'createEce');
      const before = await counts(h);
      const [r, ms] = await timed(() => inject('POST', `/api/v1/errands/${id}/submit`, sanna, {}));
      expectStatus('ece-application submit', r, 200, 'submitted');
      record('submitC', ms);
      await tally('submitC', before);
    },
    pathB: async () => {
      const id = await draft(elias, permit, 'createPermit');
      let before = await counts(h);
      const [s, submitMs] = await timed(() => inject('POST', `/api/v1/errands/${id}/submit`, elias, {}));
      expectStatus('building-permit submit', s, 200, 'awaiting-signatures');
      before = await tally('pathSubmit', before);
      // Noora reads what she signs (not timed), then signs that version.
      const shown = await inject('GET', `/api/v1/errands/${id}`, noora);
      expectStatus('errand read', shown, 200);
      before = await counts(h);
      const [r, signMs] = await timed(() => inject('POST', `/api/v1/errands/${id}/responses`, noora, { response: 'sign', hash: shown.body.hash }));
      expectStatus('sign', r, 200, 'submitted');
      await tally('pathSign', before);
      record('pathSubmit', submitMs);
      record('pathSign', signMs);
      record('pathTotal', submitMs + signMs);
    },
  };
  const order = Object.keys(units);
  const round = async (i: number) => {
    // Rotate: each unit runs first, second, third and fourth equally often.
    for (let k = 0; k < order.length; k++) await units[order[(i + k) % order.length]!]!();
  };

  log(`${principals.length} principals; warm-up ${W} rounds …`);
  for (let i = 0; i < W; i++) await round(i);
  recording = true;
  log(`${N} rounds …`);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await round(i);
    if ((i + 1) % 50 === 0) log(`  ${i + 1}/${N}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { principals: principals.length, seconds, samples, written };
}

// ---- main ----
const loadBefore = loadavg();
log(`schema ${SCHEMA} on ${databaseUrl.replace(/\/\/[^@]*@/, '//')}: ${N} rounds (+${W} warm-up)`);
await dropSchema();
const h = await openDatabase({ url: databaseUrl, schema: SCHEMA, poolSize: 10 });
let out!: Awaited<ReturnType<typeof run>>;
let pgVersion = '';
try {
  pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(h.db)).rows[0]!.v;
  // Demo mode on an empty schema seeds the demo fixture; no worker, no daily jobs, no simulators.
  const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo' }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false, schedule: false });
  try {
    out = await run(p, h);
  } finally {
    await p.close();
  }
} finally {
  await h.close();
  await dropSchema();
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const s = Object.fromEntries(Object.entries(out.samples).map(([k, v]) => [k, stats(v)])) as Record<keyof typeof out.samples, ReturnType<typeof stats>>;
const grantMean = s.grant.mean;
const createAll = stats([...out.samples.createPermit, ...out.samples.createEce]);
const per = (x: { messages: number; outbox: number }, n: number) => ({ messages: r2(x.messages / n), outboxRows: r2(x.outbox / n) });
const row = (st: ReturnType<typeof stats>, w?: { messages: number; outbox: number }, wn?: number) => ({
  n: st.n, meanMs: r2(st.mean), p50Ms: r2(st.p50), p99Ms: r2(st.p99), maxMs: r2(st.max),
  opsPerSecond: Math.round(1000 / st.mean), meanToGrant: r2(st.mean / grantMean),
  ...(w ? { writes: per(w, wn ?? st.n) } : {}),
});
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version, postgres: pgVersion, loadAverage1m: { before: r2(loadBefore[0]!), after: r2(loadavg()[0]!) } },
  setup: {
    database: 'PostgreSQL', schema: SCHEMA, how: 'app.inject on the app in process (demo mode, demo fixture; no outbox worker, no daily jobs)',
    rounds: N, warmupRounds: W, principals: out.principals, seconds: r2(out.seconds),
    order: 'each round: grant, B submit, C submit, B path — rotated by one each round',
    throughput: 'sequential: one request at a time, ops/s = 1000 / mean',
    writes: 'per operation: messages (notifications) and outbox rows (deliveries, one per channel) it wrote',
  },
  grant: { what: 'POST /api/v1/mandates (a person grants a mandate directly)', ...row(s.grant, out.written.grant) },
  createDraft: {
    what: 'POST /api/v1/errands (a draft; parties worked out from the registers)',
    all: row(createAll, out.written.create),
    buildingPermit: row(s.createPermit), eceApplication: row(s.createEce),
  },
  submitB: { what: 'building-permit on 753-401-3-45 by Elias: submit → awaiting-signatures (his signature, Noora asked)', ...row(s.submitB, out.written.submitB) },
  submitC: { what: 'ece-application for Ella by Sanna in 753 (notify): submit → submitted (Jari told)', ...row(s.submitC, out.written.submitC) },
  pathB: {
    what: "building-permit: Elias's submit, then Noora's sign of the version she read → submitted",
    submit: row(s.pathSubmit, out.written.pathSubmit), sign: row(s.pathSign, out.written.pathSign),
    total: row(s.pathTotal, { messages: out.written.pathSubmit.messages + out.written.pathSign.messages, outbox: out.written.pathSubmit.outbox + out.written.pathSign.outbox }, s.pathTotal.n),
  },
  // Rows of bench/results/report.md (npm run bench:report): each operation's mean against the grant's, same run. No goal was set.
  report: [
    ['create draft (POST /api/v1/errands)', createAll],
    ['submit a building permit (signature asked)', s.submitB],
    ['submit an ECE application (guardian told)', s.submitC],
    ['building permit: submit + co-applicant signs', s.pathTotal],
  ].map(([figure, st]) => {
    const x = st as ReturnType<typeof stats>;
    return { figure: `${figure as string}, mean vs a grant`, value: r2(x.mean / grantMean), unit: '×', baseline: `grant (POST /api/v1/mandates) mean ${r2(grantMean)} ms; this ${r2(x.mean)} ms, p99 ${r2(x.p99)} ms (${N} rounds, interleaved)`, goal: '', met: null };
  }),
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/errands.json`, `${JSON.stringify(results, null, 2)}\n`);

const pad = (x: string | number, n: number) => String(x).padEnd(n);
console.log(`\nPuolesta errand benchmark — ${N} rounds (+${W} warm-up), ${results.machine.cpus} cores, PostgreSQL ${pgVersion}, app.inject in process, interleaved\n`);
console.log(`${pad('', 44)}${pad('mean ms', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('ops/s', 7)}${pad('× grant', 9)}msgs/op`);
const line = (name: string, x: ReturnType<typeof row>) =>
  console.log(`${pad(name, 44)}${pad(x.meanMs, 9)}${pad(x.p50Ms, 9)}${pad(x.p99Ms, 9)}${pad(x.maxMs, 9)}${pad(x.opsPerSecond, 7)}${pad(x.meanToGrant, 9)}${x.writes ? x.writes.messages : ''}`);
line('grant (POST /api/v1/mandates)', results.grant);
line('create draft (POST /api/v1/errands), all', results.createDraft.all);
line('  building-permit', results.createDraft.buildingPermit);
line('  ece-application', results.createDraft.eceApplication);
line('(a) B submit: building permit, Noora asked', results.submitB);
line('(b) C submit: ECE, Jari told', results.submitC);
line('(c) B path: submit', results.pathB.submit);
line('    Noora signs', results.pathB.sign);
line('    total (submit + sign)', results.pathB.total);
console.log(`\nLoad average (1 min) ${results.machine.loadAverage1m.before} before, ${results.machine.loadAverage1m.after} after: other work shares the machine; interleaving spreads it over every operation alike.`);
console.log(`ms: latency of one request; ops/s: sequential (1000 / mean); × grant: mean / the grant's mean. Written to bench/results/errands.json; schema ${SCHEMA} dropped.`);
process.exit(0);
