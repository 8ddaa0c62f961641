/**
 * `npm run bench:notify [-- --messages N] [--grants K]`
 *
 * The notification outbox's throughput and what writing messages costs a command, on PostgreSQL
 * (BENCH_DATABASE_URL or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), in a schema
 * of its own (`bench_notify`, dropped and recreated each run, seeded with the demo fixture):
 *
 *   - raw nodemailer: N e-mails through `createEmailTransport` with the e-mail channel's settings
 *     (pooled, 5 connections), 10 at a time like the worker's lanes → messages/s;
 *   - one worker: N queued messages delivered by `npm run worker` (worker-main) in a child process,
 *     as deployed → messages/s;
 *   - two workers: the same with two child processes → messages/s, and duplicates at the server;
 *   - grant latency: `POST /api/v1/mandates` on the app in process (demo mode, no worker), K grants
 *     writing their messages and K not (`ctx.notify.writeMessages = false`), interleaved → p50/p99/mean
 *     and the overhead.
 *
 * The SMTP server (the local simulator) runs in a child process of its own in every phase, so the
 * sender never shares its event loop with it. Prints a table and writes bench/results/notify.json at
 * the repository root. Not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { channelName, openDatabase, sql, type DatabaseHandle } from '../src/db/database.js';
import { createEmailTransport } from '../src/notifications/channels/email.js';
import { renderMessage } from '../src/notifications/templates.js';
import { DEFAULT_WORKER_OPTIONS } from '../src/notifications/worker.js';
import { insertNotifications, type NewNotification } from '../src/repositories/notifications.repository.js';
import { startSmtpSimulator } from '../src/simulators/smtp.js';
import type { SimulatedDelivery } from '../src/notifications/types.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../src/worker-main.ts', import.meta.url));

// ---- the SMTP server's own process ----
if (process.argv.includes('--smtp-child')) {
  const s = await startSmtpSimulator();
  process.stdout.write(`${JSON.stringify({ smtpUrl: s.smtpUrl, url: s.url })}\n`);
  process.on('SIGTERM', () => { void s.close().then(() => process.exit(0)); });
  await new Promise(() => {});
}

// ---- options ----
const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const num = (name: string, dflt: number) => { const v = opt(name); return v === undefined ? dflt : Number(v.replace(/_/g, '')); };
const N = num('--messages', 5000);
const K = num('--grants', 300);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_notify';
const MAIL_FROM = 'Puolesta <noreply@puolesta.invalid>';
const log = (...a: unknown[]) => console.error('[bench]', ...a);

/** Fixture persons with an (ASCII) e-mail address in the register. */
const WITH_EMAIL = ['090672-903B', '210170-904K', '111285-9135', '230387-9146', '250585-916M', '040985-919D', '151186-920D', '290666-9219', '200203B9254', '040499Y9267'];
const EMAILS = new Map<string, { name: string; email: string }>();

const children = new Set<ChildProcess>();
function spawnTs(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; line: (re: RegExp) => Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  const waiters: { re: RegExp; res: (l: string) => void }[] = [];
  const take = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      const l = out.split('\n').find((x) => w.re.test(x));
      if (l) { waiters.splice(waiters.indexOf(w), 1); w.res(l); }
    }
    if (out.length > 100_000) out = out.slice(-20_000);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return {
    child,
    output: () => out,
    line: (re) => new Promise<string>((res, rej) => {
      const l = out.split('\n').find((x) => re.test(x));
      if (l) return res(l);
      waiters.push({ re, res });
      child.once('exit', (code) => rej(new Error(`child exited (${code}) before ${re}:\n${out.slice(-3000)}`)));
    }),
  };
}
async function stopChild(c: ChildProcess) {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

async function startSmtp() {
  const s = spawnTs([SELF, '--smtp-child'], {});
  const { smtpUrl, url } = JSON.parse(await s.line(/smtpUrl/)) as { smtpUrl: string; url: string };
  return {
    smtpUrl,
    async received(): Promise<SimulatedDelivery[]> {
      return ((await (await fetch(`${url}/_simulator/received`)).json()) as { deliveries: SimulatedDelivery[] }).deliveries;
    },
    stop: () => stopChild(s.child),
  };
}
type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** How many of these keys arrived, and how many arrived more than once (extra copies). */
async function tally(smtp: Smtp, keys: ReadonlySet<string>) {
  const counts = new Map<string, number>();
  for (const d of await smtp.received()) if (keys.has(d.key)) counts.set(d.key, (counts.get(d.key) ?? 0) + 1);
  return { unique: counts.size, duplicates: [...counts.values()].reduce((s, n) => s + n - 1, 0) };
}

// ---- the database ----
async function freshSchema(): Promise<DatabaseHandle> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(`drop schema if exists ${SCHEMA} cascade`);
  await c.end();
  return openDatabase({ url: databaseUrl, schema: SCHEMA, poolSize: 10 });
}

const LINK = 'http://localhost:3000/mandates/00000000-0000-0000-0000-000000000000';
const message = renderMessage({
  event: 'mandate.granted', language: 'fi', role: 'agent', recipientName: 'Sanna Lindholm',
  principal: { name: 'Markku Lindholm', kind: 'person' }, agent: { name: 'Sanna Lindholm', kind: 'person' },
  issues: ['Asuminen', 'Jätehuolto'], validFrom: '2026-12-01', validUntil: '2027-06-30', oneOff: false, link: LINK,
});

/** Writes n e-mail messages into the outbox in one transaction (with the NOTIFY a command sends); returns their keys at the SMTP server. */
async function enqueue(h: DatabaseHandle, n: number): Promise<Set<string>> {
  const at = new Date();
  const keys = new Set<string>();
  await h.db.transaction().execute(async (tx) => {
    for (let from = 0; from < n; from += 1000) {
      const rows: NewNotification[] = [];
      for (let i = from; i < Math.min(n, from + 1000); i++) {
        const id = randomUUID();
        keys.add(`${id}.email`);
        rows.push({
          id, key: `bench:${id}`, recipientId: WITH_EMAIL[i % WITH_EMAIL.length]!, municipality: '245', event: 'mandate.granted',
          language: 'fi', subject: message.subject, body: message.text, html: message.html, sms: message.sms, link: LINK,
          chain: ['email'], mandateId: null, errandId: null, at,
        });
      }
      await insertNotifications(tx, rows, 8);
    }
    await sql`select pg_notify(${channelName(SCHEMA, 'outbox')}, '')`.execute(tx);
  });
  return keys;
}

async function clearOutbox(h: DatabaseHandle) {
  await sql`truncate deliveries, notifications`.execute(h.db);
}

// ---- phases ----
async function rawNodemailer(smtp: Smtp, n: number) {
  const transport = createEmailTransport(smtp.smtpUrl);
  const keys = new Set<string>();
  const concurrency = DEFAULT_WORKER_OPTIONS.concurrency;
  const send = async (i: number) => {
    const key = `raw-${randomUUID()}.email`;
    keys.add(key);
    const c = EMAILS.get(WITH_EMAIL[i % WITH_EMAIL.length]!)!;
    await transport.sendMail({
      from: MAIL_FROM, to: { name: c.name, address: c.email }, subject: message.subject, text: message.text, html: message.html,
      messageId: `<${key}@puolesta>`, headers: { 'Content-Language': 'fi' },
    });
  };
  // Warm the pool (connections opened) as a running worker's is.
  await Promise.all(Array.from({ length: concurrency }, (_, i) => send(i)));
  keys.clear();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) await send(next++); }));
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  const t = await tally(smtp, keys);
  return { messages: n, seconds, perSecond: n / seconds, ...t };
}

async function workers(h: DatabaseHandle, smtp: Smtp, count: number, n: number) {
  await clearOutbox(h);
  // Demo mode: the schema holds the demo fixture, which a production start refuses (decision 0014). The
  // worker delivers the same way in both modes (channels from the configuration; no simulators of its own).
  const env = { DATABASE_URL: databaseUrl, PUOLESTA_DB_SCHEMA: SCHEMA, PUOLESTA_MODE: 'demo', PUOLESTA_SIMULATORS: 'off', PUOLESTA_SMTP_URL: smtp.smtpUrl, PUOLESTA_MAIL_FROM: MAIL_FROM, LOG_LEVEL: 'info' };
  const procs = Array.from({ length: count }, () => spawnTs([WORKER_MAIN], env));
  await Promise.all(procs.map((p) => p.line(/outbox worker started/)));
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  const keys = await enqueue(h, n);
  const written = Date.now();
  for (;;) {
    const r = await sql<{ n: string; last: Date | null }>`select count(*) as n, max(finished_at) as last from deliveries where status = 'delivered'`.execute(h.db);
    const row = r.rows[0]!;
    if (Number(row.n) >= n) {
      const seconds = (new Date(row.last!).getTime() - written) / 1000;
      await Promise.all(procs.map((p) => stopChild(p.child)));
      const left = await sql<{ status: string; n: string }>`select status, count(*) as n from deliveries where status <> 'delivered' group by status`.execute(h.db);
      const t = await tally(smtp, keys);
      return { workers: count, messages: n, writeMs: written - t0, seconds, perSecond: n / seconds, ...t, notDelivered: left.rows.map((x) => ({ status: x.status, n: Number(x.n) })) };
    }
    for (const p of procs) if (p.child.exitCode !== null) throw new Error(`worker exited:\n${p.output().slice(-3000)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}

async function grantLatency(h: DatabaseHandle, k: number) {
  const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo' }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false, schedule: false });
  try {
    const as = async (person: string) => {
      const r = await p.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person } });
      if (r.statusCode !== 200) return null;
      const cookie = `puolesta_session=${r.cookies.find((x) => x.name === 'puolesta_session')!.value}`;
      const me = await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      return { cookie, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken };
    };
    const persons = (await h.db.selectFrom('persons').select('id').orderBy('id').execute()).map((r) => r.id);
    const validUntil = addDays(helsinkiDate(new Date()), 180);
    const grant = (headers: Record<string, string>, agent: string) => p.app.inject({
      method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: { type: 'person', id: agent }, issues: ['housing'], validUntil },
    });
    // Principals who may grant on their own (adults, no guardian to approve): each with a session.
    const principals: { id: string; headers: Record<string, string> }[] = [];
    for (const id of persons) {
      const headers = await as(id);
      if (!headers) continue;
      const r = await grant(headers, persons.find((x) => x !== id)!);
      if (r.statusCode === 201 && r.json<{ status: string }>().status === 'active') principals.push({ id, headers });
    }
    if (principals.length < 2) throw new Error('too few fixture persons can grant');
    let i = 0;
    const one = async () => {
      const pr = principals[i % principals.length]!;
      const agents = persons.filter((x) => x !== pr.id);
      const agent = agents[Math.floor(i / principals.length) % agents.length]!;
      i++;
      const t0 = performance.now();
      const r = await grant(pr.headers, agent);
      const ms = performance.now() - t0;
      if (r.statusCode !== 201) throw new Error(`grant answered ${r.statusCode}: ${r.body}`);
      return ms;
    };
    const messagesBefore = Number((await sql<{ n: string }>`select count(*) as n from notifications`.execute(h.db)).rows[0]!.n);
    // Warm-up, both ways.
    for (let w = 0; w < 40; w++) { p.ctx.notify.writeMessages = w % 2 === 0; await one(); }
    const withMessages: number[] = [];
    const without: number[] = [];
    let messagesWritten = 0;
    for (let round = 0; round < k; round++) {
      // ABBA: which goes first alternates, so drift (the tables growing, the index) falls on both alike.
      const order = round % 2 === 0 ? [true, false] : [false, true];
      for (const write of order) {
        p.ctx.notify.writeMessages = write;
        (write ? withMessages : without).push(await one());
      }
    }
    p.ctx.notify.writeMessages = true;
    messagesWritten = Number((await sql<{ n: string }>`select count(*) as n from notifications`.execute(h.db)).rows[0]!.n) - messagesBefore;
    const a = stats(withMessages);
    const b = stats(without);
    return {
      grants: k, principals: principals.length, messagesWritten, messagesPerGrant: messagesWritten / (k + 20),
      withMessages: a, withoutMessages: b,
      overheadMeanPct: ((a.mean - b.mean) / b.mean) * 100,
      overheadP50Pct: ((a.p50 - b.p50) / b.p50) * 100,
    };
  } finally {
    await p.close();
  }
}

// ---- run ----
log(`schema ${SCHEMA} on ${databaseUrl.replace(/\/\/[^@]*@/, '//')}: ${N} messages, ${K} grants each way`);
const h = await freshSchema();
{
  // Seed the demo fixture (demo mode on an empty schema), then take the daily job's runs so no worker adds messages of its own.
  const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo' }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false, schedule: false });
  await p.close();
  const today = helsinkiDate(new Date());
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    await sql`insert into scheduled_runs (job, day, node, started_at) values ('mandate-expiry', ${day}, 'bench', now())`.execute(h.db);
  }
  const rows = await h.db.selectFrom('persons').select(['id', 'first_name', 'last_name', 'contact']).where('id', 'in', WITH_EMAIL).execute();
  for (const r of rows) EMAILS.set(r.id, { name: `${r.first_name} ${r.last_name}`, email: (r.contact as { email: string }).email });
}

const smtp = await startSmtp();
let results;
try {
  log('raw nodemailer …');
  const raw = await rawNodemailer(smtp, N);
  log(`  ${raw.perSecond.toFixed(0)}/s`);
  log('one worker process …');
  const one = await workers(h, smtp, 1, N);
  log(`  ${one.perSecond.toFixed(0)}/s`);
  log('two worker processes …');
  const two = await workers(h, smtp, 2, N);
  log(`  ${two.perSecond.toFixed(0)}/s, ${two.duplicates} duplicates`);
  // Raw again: the machine's load drifts (two cores, other work); the ratios are against the mean of both raw runs.
  log('raw nodemailer again …');
  const rawAgain = await rawNodemailer(smtp, N);
  log(`  ${rawAgain.perSecond.toFixed(0)}/s`);
  const rawMean = (raw.perSecond + rawAgain.perSecond) / 2;
  await clearOutbox(h);
  log('grant latency …');
  const grants = await grantLatency(h, K);

  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const lat = (s: ReturnType<typeof stats>) => ({ n: s.n, meanMs: r2(s.mean), p50Ms: r2(s.p50), p99Ms: r2(s.p99), maxMs: r2(s.max) });
  const round = (x: typeof one) => ({ ...x, seconds: r2(x.seconds), perSecond: Math.round(x.perSecond) });
  results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    setup: {
      database: 'PostgreSQL', schema: SCHEMA, smtp: 'local SMTP simulator (smtp-server + mailparser) in a child process of its own',
      transport: 'createEmailTransport: pooled, maxConnections 5', worker: { ...DEFAULT_WORKER_OPTIONS, retryMaxMs: undefined, how: 'npm run worker (worker-main) in child processes' },
      message: { subjectChars: message.subject.length, textChars: message.text.length, htmlChars: message.html.length },
    },
    raw: { ...raw, seconds: r2(raw.seconds), perSecond: Math.round(raw.perSecond), concurrency: DEFAULT_WORKER_OPTIONS.concurrency },
    rawAgain: { ...rawAgain, seconds: r2(rawAgain.seconds), perSecond: Math.round(rawAgain.perSecond) },
    rawMeanPerSecond: Math.round(rawMean),
    oneWorker: round(one),
    twoWorkers: round(two),
    ratios: { oneWorkerToRaw: r2(one.perSecond / rawMean), twoWorkersToRaw: r2(two.perSecond / rawMean), goal: '≥ 0.8', of: 'the mean of the two raw runs' },
    grants: { ...grants, messagesPerGrant: r2(grants.messagesPerGrant), withMessages: lat(grants.withMessages), withoutMessages: lat(grants.withoutMessages), overheadMeanPct: r1(grants.overheadMeanPct), overheadP50Pct: r1(grants.overheadP50Pct), goal: '≤ 10 %' },
    // Rows of bench/results/report.md (npm run bench:report).
    report: [
      { figure: 'e-mail delivery, one worker process vs raw nodemailer', value: r2(one.perSecond / rawMean), unit: '×', baseline: `raw nodemailer ${Math.round(rawMean)} messages/s (mean of two runs); one worker ${Math.round(one.perSecond)}/s (${N} messages)`, goal: '≥ 0.8×', met: one.perSecond / rawMean >= 0.8 },
      { figure: 'e-mail delivery, two worker processes vs raw nodemailer', value: r2(two.perSecond / rawMean), unit: '×', baseline: `raw nodemailer ${Math.round(rawMean)} messages/s; two workers ${Math.round(two.perSecond)}/s`, goal: '≥ 0.8×', met: two.perSecond / rawMean >= 0.8 },
      { figure: 'duplicate e-mails with two workers', value: two.duplicates, unit: 'messages', baseline: `${N} messages sent`, goal: '0', met: two.duplicates === 0 },
      { figure: 'grant latency overhead of writing its messages (mean)', value: r1(grants.overheadMeanPct), unit: '%', baseline: `grant without messages: mean ${r2(grants.withoutMessages.mean)} ms; with: ${r2(grants.withMessages.mean)} ms (${K} each, interleaved)`, goal: '≤ 10 %', met: grants.overheadMeanPct <= 10 },
    ],
  };
} finally {
  await smtp.stop();
}
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/notify.json`, `${JSON.stringify(results, null, 2)}\n`);

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const g = results.grants;
console.log(`\nPuolesta notification benchmark — ${N.toLocaleString('en')} e-mails, ${results.machine.cpus} cores, PostgreSQL, SMTP simulator in its own process\n`);
console.log(`${pad('', 42)}${pad('msg/s', 9)}${pad('seconds', 9)}${pad('dupes', 7)}vs raw`);
console.log(`${pad('raw nodemailer (pool 5, 10 in flight)', 42)}${pad(results.raw.perSecond, 9)}${pad(results.raw.seconds, 9)}${pad(results.raw.duplicates, 7)}`);
console.log(`${pad('one worker process', 42)}${pad(results.oneWorker.perSecond, 9)}${pad(results.oneWorker.seconds, 9)}${pad(results.oneWorker.duplicates, 7)}${results.ratios.oneWorkerToRaw} (goal ≥ 0.8)`);
console.log(`${pad('two worker processes', 42)}${pad(results.twoWorkers.perSecond, 9)}${pad(results.twoWorkers.seconds, 9)}${pad(results.twoWorkers.duplicates, 7)}${results.ratios.twoWorkersToRaw}`);
console.log(`${pad('raw nodemailer again', 42)}${pad(results.rawAgain.perSecond, 9)}${pad(results.rawAgain.seconds, 9)}${pad(results.rawAgain.duplicates, 7)}(ratios: against the raw mean, ${results.rawMeanPerSecond}/s)`);
console.log(`\n${pad(`grant (POST /api/v1/mandates), ${g.grants} each`, 42)}${pad('mean ms', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}max ms`);
for (const [name, s] of [['with messages written', g.withMessages], ['without (writeMessages = false)', g.withoutMessages]] as const) {
  console.log(`${pad(name, 42)}${pad(s.meanMs, 9)}${pad(s.p50Ms, 9)}${pad(s.p99Ms, 9)}${s.maxMs}`);
}
console.log(`overhead: mean ${g.overheadMeanPct} %, p50 ${g.overheadP50Pct} % (goal ≤ 10 %); ${g.messagesPerGrant} messages per grant. Written to bench/results/notify.json`);
await h.close();
process.exit(0);
