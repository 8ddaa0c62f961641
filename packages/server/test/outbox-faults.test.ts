import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { sql } from '../src/db/database.js';
import { renderMessage } from '../src/notifications/templates.js';
import { insertNotifications, type NewNotification } from '../src/repositories/notifications.repository.js';
import { startSmtpSimulator, type SmtpSimulator } from '../src/simulators/smtp.js';
import { DATABASE_URL, onPostgres, P, startTestApp, type TestApp } from './helpers.js';

/**
 * The outbox under faults, with real processes: `npm run worker` (worker-main) in child processes
 * over one PostgreSQL schema, delivering to a local SMTP server. A worker killed mid-batch, an SMTP
 * server that is down for a while, and two workers sharing 10,000 messages.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../src/worker-main.ts', import.meta.url));
const BATCH = 50;

/** Fixture persons whose register gives an (ASCII) e-mail address. */
const WITH_EMAIL = [P.sanna, P.markku, P.elias, P.noora, P.laura, P.tuomas, P.emily, P.harri, P.niko, P.linnea];

interface Worker { child: ChildProcess; output: () => string; exited: Promise<number | null> }
const children = new Set<Worker>();
let app: TestApp | null = null;
let smtp: SmtpSimulator | null = null;

function startWorker(schema: string, smtpUrl: string, env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: DATABASE_URL!, PUOLESTA_DB_SCHEMA: schema, PUOLESTA_MODE: 'demo', PUOLESTA_SIMULATORS: 'off',
      PUOLESTA_SMTP_URL: smtpUrl, PUOLESTA_NOTIFY_LEASE_MS: '3000', PUOLESTA_NOTIFY_POLL_MS: '100',
      PUOLESTA_NOTIFY_BATCH: String(BATCH), LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const w = { child, output: () => out, exited };
  children.add(w);
  void exited.then(() => children.delete(w));
  return w;
}

async function kill9(w: Worker): Promise<void> {
  w.child.kill('SIGKILL');
  await w.exited;
}

afterEach(async () => {
  await Promise.all([...children].map(kill9));
  await smtp?.close();
  smtp = null;
  await app?.stop();
  app = null;
});

async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs: number, workers: Worker[] = []): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh schema, migrated and seeded with the demo fixture; the daily job's runs taken so no worker adds messages of its own. */
async function freshOutbox(): Promise<TestApp> {
  app = await startTestApp();
  const today = helsinkiDate(new Date());
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    await sql`insert into scheduled_runs (job, day, node, started_at) values ('mandate-expiry', ${day}, 'test', now())`.execute(app.ctx.db);
  }
  return app;
}

const LINK = 'http://localhost:3000/mandates/00000000-0000-0000-0000-000000000000';
const message = renderMessage({
  event: 'mandate.granted', language: 'fi', role: 'agent', recipientName: 'Sanna Lindholm',
  principal: { name: 'Markku Lindholm', kind: 'person' }, agent: { name: 'Sanna Lindholm', kind: 'person' },
  issues: ['Asuminen', 'Jätehuolto'], validFrom: '2026-12-01', validUntil: '2027-06-30', oneOff: false,
  link: LINK,
});

/** Writes `n` messages (e-mail only) straight into the outbox, in batched inserts; returns their ids. */
async function enqueue(t: TestApp, n: number): Promise<string[]> {
  const at = new Date();
  const ids: string[] = [];
  for (let from = 0; from < n; from += 1000) {
    const rows: NewNotification[] = [];
    for (let i = from; i < Math.min(n, from + 1000); i++) {
      const id = randomUUID();
      ids.push(id);
      rows.push({
        id, key: `fault-test:${id}`, recipientId: WITH_EMAIL[i % WITH_EMAIL.length]!, municipality: '245', event: 'mandate.granted',
        language: 'fi', subject: message.subject, body: message.text, html: message.html, sms: message.sms, link: LINK,
        chain: ['email'], mandateId: null, errandId: null, at,
      });
    }
    await t.ctx.db.transaction().execute((tx) => insertNotifications(tx, rows, t.ctx.notify.maxAttempts));
  }
  return ids;
}

async function statusCounts(t: TestApp): Promise<Record<string, number>> {
  const rows = await t.ctx.db.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** How many times each key reached the SMTP server. */
function keyCounts(s: SmtpSimulator): Map<string, number> {
  const m = new Map<string, number>();
  for (const mail of s.messages()) m.set(mail.key, (m.get(mail.key) ?? 0) + 1);
  return m;
}

describe.skipIf(!onPostgres)('the outbox with worker processes under faults', () => {
  it('a worker killed (SIGKILL) mid-batch: another takes its leased rows after the lease; every message arrives, a few twice at most', async () => {
    const t = await freshOutbox();
    smtp = await startSmtpSimulator();
    // Slow enough that a batch is still in hand when the kill lands, also on a busy machine.
    smtp.setDelay(50);
    const ids = await enqueue(t, 300);
    const a = startWorker(t.ctx.h.schema, smtp.smtpUrl);
    // About 50 sent: past its first batch (recorded), partway through its second (claimed, leased, partly sent).
    await waitFor('65 messages from worker A', () => smtp!.messages().length >= BATCH + 15, 20_000, [a]);
    await kill9(a);
    // What A held when it died: claimed, leased, not recorded.
    const held = await t.ctx.db.selectFrom('deliveries').select(['id']).where('status', '=', 'sending').execute();
    expect(held.length).toBeGreaterThan(0);
    // At most two batches: the one being sent and the next, claimed while the last sends are under way.
    expect(held.length).toBeLessThanOrEqual(2 * BATCH);
    const b = startWorker(t.ctx.h.schema, smtp.smtpUrl);
    await waitFor('every message delivered', async () => {
      const keys = keyCounts(smtp!);
      return ids.every((id) => keys.has(`${id}.email`)) && (await statusCounts(t)).delivered === 300;
    }, 30_000, [b]);

    const keys = keyCounts(smtp!);
    for (const id of ids) expect(keys.get(`${id}.email`), id).toBeGreaterThanOrEqual(1);
    expect(await statusCounts(t)).toEqual({ delivered: 300 });
    // The rows A held were claimed again once its lease ran out.
    const retaken = await t.ctx.db.selectFrom('deliveries').select(['attempts', 'status']).where('id', 'in', held.map((h) => h.id)).execute();
    expect(retaken.every((r) => r.status === 'delivered' && r.attempts >= 2)).toBe(true);
    // At least once: what A had sent but not recorded may be sent again — never more than it held.
    const duplicates = [...keys.values()].reduce((s, n) => s + n - 1, 0);
    console.log(`[outbox-faults] SIGKILL: A held ${held.length} rows when killed; ${duplicates} duplicate e-mail(s) of 300`);
    expect(duplicates).toBe(smtp!.duplicates());
    expect(duplicates).toBeLessThanOrEqual(held.length);
  }, 60_000);

  it('the SMTP server down for a while: messages wait and retry with backoff, and all go once it is back; none dead', async () => {
    const t = await freshOutbox();
    smtp = await startSmtpSimulator();
    await smtp.stop();
    const ids = await enqueue(t, 50);
    // Enough tries that the outage (≈ 2 s of backoff capped at 1 s) cannot use them up: this is about waiting, not giving up.
    const w = startWorker(t.ctx.h.schema, smtp.smtpUrl, { PUOLESTA_NOTIFY_RETRY_BASE_MS: '200', PUOLESTA_NOTIFY_RETRY_MAX_MS: '1000', PUOLESTA_NOTIFY_MAX_ATTEMPTS: '20' });
    const rows = () => t.ctx.db.selectFrom('deliveries').select(['status', 'attempts', 'last_error']).execute();
    await waitFor('a first try of every message', async () => (await rows()).every((r) => r.attempts >= 1), 20_000, [w]);
    await new Promise((r) => setTimeout(r, 2000));
    const waiting = await rows();
    expect(waiting).toHaveLength(50);
    for (const r of waiting) {
      expect(r.status).toMatch(/^(pending|sending)$/);
      expect(r.attempts).toBeGreaterThanOrEqual(2);
      expect(r.last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    }
    expect(smtp.messages()).toHaveLength(0);

    await smtp.restart();
    await waitFor('all 50 delivered', async () => (await statusCounts(t)).delivered === 50, 15_000, [w]);
    expect(await statusCounts(t)).toEqual({ delivered: 50 });
    const keys = keyCounts(smtp);
    expect(ids.every((id) => keys.get(`${id}.email`) === 1)).toBe(true);
    const tries = (await rows()).map((r) => r.attempts);
    console.log(`[outbox-faults] SMTP down: 50 delivered after ${Math.min(...tries)}–${Math.max(...tries)} tries each`);
  }, 60_000);

  it('two workers share 10,000 messages: each delivered exactly once', async () => {
    const t = await freshOutbox();
    smtp = await startSmtpSimulator();
    let started = Date.now();
    const ids = await enqueue(t, 10_000);
    console.log(`[outbox-faults] 10,000 messages written in ${Date.now() - started} ms`);
    // A lease far longer than a batch takes: no row changes hands, so any duplicate is a double claim.
    const env = { PUOLESTA_NOTIFY_LEASE_MS: '60000' };
    started = Date.now();
    const workers = [startWorker(t.ctx.h.schema, smtp.smtpUrl, env), startWorker(t.ctx.h.schema, smtp.smtpUrl, env)];
    await waitFor('10,000 delivered', async () => smtp!.messages().length >= 10_000 && (await statusCounts(t)).delivered === 10_000, 120_000, workers);
    const seconds = (Date.now() - started) / 1000;
    const times = smtp.messages().map((m) => Date.parse(m.at));
    const sendingSeconds = (Math.max(...times) - Math.min(...times)) / 1000;

    expect(smtp.duplicates()).toBe(0);
    const keys = keyCounts(smtp);
    expect(keys.size).toBe(10_000);
    expect(ids.every((id) => keys.get(`${id}.email`) === 1)).toBe(true);
    expect(await statusCounts(t)).toEqual({ delivered: 10_000 });
    // Both workers took part.
    const byNode = await t.ctx.db.selectFrom('deliveries').select(['locked_by', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('locked_by').execute();
    expect(byNode).toHaveLength(2);
    console.log(`[outbox-faults] two workers: 10,000 in ${seconds.toFixed(1)} s from spawn (${Math.round(10_000 / seconds)}/s); `
      + `${Math.round(10_000 / sendingSeconds)}/s first to last e-mail; split ${byNode.map((r) => r.n).join(' / ')}`);
  }, 150_000);
});
