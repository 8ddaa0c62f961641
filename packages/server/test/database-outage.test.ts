/**
 * The database goes away and comes back. A server process reaches PostgreSQL through a TCP proxy
 * in this test; under a loop of checks the proxy is cut (every connection reset, new ones
 * refused) and later restored. The shared PostgreSQL server itself is never touched.
 *
 * The process must survive, answer 503 problem+json with Retry-After within a few seconds while
 * the database is away, never say yes once its lease has lapsed (a mandate is revoked by another
 * process during the outage), and answer correctly again by itself once the database is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, sql, type DatabaseHandle } from '../src/db/database.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedRegisters } from '../src/registers/seed.js';
import { inUnitOfWork } from '../src/services/unit-of-work.js';
import { client, P } from './helpers.js';

const DATABASE_URL = process.env.DATABASE_URL;
const SERVER = fileURLToPath(new URL('./new-enemy-server.ts', import.meta.url));
/** The index's lease (default options of the server process). */
const LEASE_MS = 5000;
/** Mikael acts for Petra by these mandates (one issue each): one pair per kind of outage. */
const MANDATES = [['out-1', 'parking-and-streets'], ['out-2', 'waste-and-water'], ['out-3', 'housing'], ['out-4', 'culture-and-leisure']] as const;

/**
 * A TCP proxy to PostgreSQL that can be cut two ways and restored:
 * - `reset`: every connection reset, new ones reset at once (PostgreSQL restarted, a TCP reset);
 * - `silent`: nothing goes through any more and nothing is closed (a network that drops packets).
 */
class CuttableProxy {
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private readonly held = new Set<net.Socket>();
  private mode: 'open' | 'reset' | 'silent' = 'open';
  private readonly server: net.Server;
  constructor(private readonly host: string, private readonly port: number) {
    this.server = net.createServer((down) => {
      down.on('error', () => {});
      if (this.mode === 'reset') return reset(down);
      if (this.mode === 'silent') { down.pause(); this.held.add(down); return; }
      const up = net.connect(this.port, this.host);
      up.on('error', () => {});
      const pair: [net.Socket, net.Socket] = [down, up];
      this.pairs.add(pair);
      for (const s of pair) s.on('close', () => { this.pairs.delete(pair); down.destroy(); up.destroy(); });
      down.pipe(up);
      up.pipe(down);
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', res));
    return (this.server.address() as net.AddressInfo).port;
  }
  cut(mode: 'reset' | 'silent') {
    this.mode = mode;
    for (const [down, up] of this.pairs) {
      if (mode === 'reset') { reset(down); reset(up); continue; }
      down.unpipe(up); up.unpipe(down); down.pause(); up.pause();
      this.held.add(down).add(up);
    }
    this.pairs.clear();
  }
  restore() {
    // What the silent network swallowed is gone: those connections are dead to both ends.
    for (const s of this.held) reset(s);
    this.held.clear();
    this.mode = 'open';
  }
  async close() {
    this.cut('reset');
    this.restore();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

function reset(s: net.Socket) {
  try { s.resetAndDestroy(); } catch { s.destroy(); }
}

interface Answer { sentAt: number; ms: number; status: number; allowed: boolean; problem: boolean; retryAfter: string | null; error?: string }

describe.skipIf(!DATABASE_URL)('the database goes away and comes back (PostgreSQL through a TCP proxy; skipped on PGlite)', () => {
  const schema = `out_${randomBytes(5).toString('hex')}`;
  let proxy: CuttableProxy;
  let server: { child: ChildProcess; url: string; stderr: () => string; exits: number[] };
  let h: DatabaseHandle;
  let writer: Puolesta;

  beforeAll(async () => {
    h = await openDatabase({ url: DATABASE_URL, schema, poolSize: 4 });
    await seedRegisters(h.db, demoFixture());
    const today = helsinkiDate(Date.now());
    for (const [id, issue] of MANDATES) {
      await h.db.insertInto('mandates').values({
        id, principal_type: 'person', principal_id: P.petra, agent_type: 'person', agent_id: P.mikael,
        issues: [issue], bundle: null, valid_from: addDays(today, -30), valid_until: addDays(today, 365), status: 'active', one_off: false,
        target_type: null, target_id: null, municipality: null, source: 'electronic', created_by: JSON.stringify({ kind: 'seed' }),
        approvers_required: [], approvers_done: [], paper_document: null, change_version: 0,
      }).execute();
    }
    // Another process, straight on the database: it revokes during the outage.
    writer = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo', databaseUrl: DATABASE_URL }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false });

    const target = new URL(DATABASE_URL!);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.listen();
    const viaProxy = new URL(DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    server = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: { ...process.env, DATABASE_URL: viaProxy.toString(), NE_SCHEMA: schema }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      const exits: number[] = [];
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) resolve({ child, url: m[1]!, stderr: () => err, exits });
      });
      child.on('exit', (code) => { exits.push(code ?? -1); reject(new Error(`server exited with ${code} before it was ready: ${err}`)); });
    });
  }, 60_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      await new Promise<void>((res) => { server.child.once('exit', () => res()); server.child.kill('SIGTERM'); });
    }
    await proxy?.close();
    await writer?.close();
    await h?.close();
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  async function ask(issue: string): Promise<Answer> {
    const sentAt = performance.now();
    try {
      const r = await fetch(`${server.url}/api/v1/authorizations/check`, {
        method: 'POST', headers: { authorization: client('049'), 'content-type': 'application/json' },
        body: JSON.stringify({ actor: { type: 'person', id: P.mikael }, principal: { type: 'person', id: P.petra }, issue }),
        signal: AbortSignal.timeout(15_000),
      });
      const d = (await r.json()) as { allowed?: boolean };
      return {
        sentAt, ms: performance.now() - sentAt, status: r.status, allowed: d.allowed === true,
        problem: (r.headers.get('content-type') ?? '').startsWith('application/problem+json'), retryAfter: r.headers.get('retry-after'),
      };
    } catch (e) {
      return { sentAt, ms: performance.now() - sentAt, status: 0, allowed: false, problem: false, retryAfter: null, error: String(e) };
    }
  }

  /** Change-listener connections on this schema, by backend pid (seen from outside the proxy; the writer's own is among them). */
  async function listenerPids(): Promise<number[]> {
    const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${`puolesta listen ${schema}`}`.execute(h.db);
    return rows.map((r) => r.pid);
  }

  const revoke = (id: string) => inUnitOfWork(writer.ctx, { kind: 'system' }, async (u) => {
    await u.db.updateTable('mandates').set({ status: 'revoked', change_version: await u.authzVersion() }).where('id', '=', id).execute();
  });

  /** `revoked` is revoked by another process during the outage; `spare` after the recovery. */
  async function outage(mode: 'reset' | 'silent', [revoked, issue]: readonly [string, string], [spare, spareIssue]: readonly [string, string]) {
    const answers: Answer[] = [];
    let stop = false;
    const loop = async () => { while (!stop) answers.push(await ask(issue)); };
    const loops = [loop(), loop(), loop(), loop()];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // Saying yes from memory under load first.
    for (let i = 0; i < 2000 && answers.filter((a) => a.allowed).length < 50; i++) await wait(5);
    expect(answers.filter((a) => a.allowed).length).toBeGreaterThanOrEqual(50);
    const listenersBefore = await listenerPids();

    const cutAt = performance.now();
    proxy.cut(mode);
    // Another process revokes the mandate meanwhile; its command returns once this server's lease has run out.
    await revoke(revoked);
    const revokedAt = performance.now();
    await wait(Math.max(0, cutAt + LEASE_MS + 3000 - performance.now()));
    const restoredAt = performance.now();
    proxy.restore();

    // Back by itself: a 200 again, then a good number more answers.
    for (let i = 0; i < 3000 && !answers.some((a) => a.sentAt > restoredAt && a.status === 200); i++) await wait(10);
    const backAt = performance.now();
    const countAt = answers.length;
    for (let i = 0; i < 2000 && answers.length < countAt + 200; i++) await wait(5);
    stop = true;
    await Promise.all(loops);

    const stderr = server.stderr();
    // The process is alive and said nothing about unhandled errors.
    expect(server.child.exitCode, stderr).toBeNull();
    expect(server.exits).toEqual([]);
    expect(stderr).not.toMatch(/unhandled|uncaught/i);

    // Every answer was an answer (no dropped connection, no hang), 200 or 503.
    expect(answers.filter((a) => a.error !== undefined || (a.status !== 200 && a.status !== 503))).toEqual([]);
    // 503s are problem+json with Retry-After, and quick.
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThanOrEqual(20);
    expect(unavailable.filter((a) => !a.problem || a.retryAfter === null)).toEqual([]);
    const duringCut = answers.filter((a) => a.sentAt > cutAt && a.sentAt < restoredAt);
    expect(Math.max(...duringCut.map((a) => a.ms))).toBeLessThan(5000);
    // Once the lease has lapsed (at the latest LEASE_MS after the cut) and until the restore, nothing but 503.
    expect(duringCut.filter((a) => a.sentAt > cutAt + LEASE_MS && a.sentAt < restoredAt - 500 && a.status !== 503)).toEqual([]);
    // The writer waited for this server's lease; nothing sent after its revoke returned says yes.
    expect(revokedAt - cutAt).toBeGreaterThan(1000);
    expect(answers.filter((a) => (a.sentAt > revokedAt || a.sentAt > cutAt + LEASE_MS) && a.allowed)).toEqual([]);

    // Recovered: it answers from the database's truth, by itself, within seconds.
    expect(backAt - restoredAt).toBeLessThan(15_000);
    const after = answers.filter((a) => a.sentAt > backAt);
    expect(after.length).toBeGreaterThanOrEqual(100);
    expect(after.filter((a) => a.status !== 200 || a.allowed)).toEqual([]);
    expect(await ask(spareIssue)).toMatchObject({ status: 200, allowed: true });

    // The change listener is back (a new connection listening to the channel) …
    for (let i = 0; i < 100 && (await listenerPids()).filter((p) => !listenersBefore.includes(p)).length === 0; i++) await wait(100);
    expect((await listenerPids()).filter((p) => !listenersBefore.includes(p)).length).toBe(1);
    // … and the server takes part in the protocol again: a revoke elsewhere is in force here when it returns.
    await revoke(spare);
    expect(await ask(spareIssue)).toMatchObject({ status: 200, allowed: false });
    return { answers, cutAt, restoredAt };
  }

  it('connections reset (PostgreSQL restarted): survives, 503 at once, never yes after the lease lapsed, recovers by itself', async () => {
    const { answers, cutAt, restoredAt } = await outage('reset', MANDATES[0], MANDATES[1]);
    // Refused and reset connections fail at once: well under a second.
    const during = answers.filter((a) => a.sentAt > cutAt + LEASE_MS && a.sentAt < restoredAt - 500);
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(1000);
  }, 120_000);

  it('a silent network (nothing answers, nothing closes): the time limits give 503 within 5 s, and it recovers', async () => {
    await outage('silent', MANDATES[2], MANDATES[3]);
  }, 120_000);
});
