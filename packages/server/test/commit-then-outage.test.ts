/**
 * A change commits, and then the writer's database goes away while it waits for the other
 * processes to acknowledge it (PostgreSQL restarted mid-load, a partition: found by `npm run
 * faults`). The change is done: the command must not fail with "unavailable" (503 — the client
 * would be told to try again, and the retry refused with "already active"). It waits the other
 * processes' leases out instead, which gives the same guarantee as their acknowledgements.
 *
 * Two processes in one: the writer and a reader, each reaching PostgreSQL through a proxy of its
 * own. The reader's is made silent first (it keeps its lease but can no longer acknowledge), so
 * the writer waits; once its change is seen committed, the writer's proxy resets every connection.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedRegisters } from '../src/registers/seed.js';
import { inUnitOfWork } from '../src/services/unit-of-work.js';
import { P } from './helpers.js';

const DATABASE_URL = process.env.DATABASE_URL;
const LEASE_MS = 5000;

/** Forwards to PostgreSQL until cut: `reset` closes everything, `silent` lets nothing through and closes nothing. */
class Proxy {
  private readonly sockets = new Set<net.Socket>();
  private mode: 'open' | 'reset' | 'silent' = 'open';
  private readonly server: net.Server;
  constructor(target: URL) {
    this.server = net.createServer((down) => {
      down.on('error', () => {});
      if (this.mode !== 'open') {
        if (this.mode === 'reset') down.destroy();
        else { down.pause(); this.sockets.add(down); }
        return;
      }
      const up = net.connect(Number(target.port || 5432), target.hostname);
      up.on('error', () => {});
      for (const s of [down, up]) { this.sockets.add(s); s.on('close', () => { this.sockets.delete(s); down.destroy(); up.destroy(); }); }
      down.on('data', (d) => { if (this.mode === 'open') up.write(d); });
      up.on('data', (d) => { if (this.mode === 'open') down.write(d); });
    });
  }
  async url(): Promise<string> {
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', res));
    const u = new URL(DATABASE_URL!);
    u.hostname = '127.0.0.1';
    u.port = String((this.server.address() as net.AddressInfo).port);
    return u.toString();
  }
  cut(mode: 'reset' | 'silent') {
    this.mode = mode;
    if (mode === 'reset') for (const s of this.sockets) s.destroy();
  }
  async close() {
    this.cut('reset');
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

describe.skipIf(!DATABASE_URL)('the database goes away after a commit, before every process acknowledged it (PostgreSQL; skipped on PGlite)', () => {
  const schema = `cto_${randomBytes(5).toString('hex')}`;
  let direct: DatabaseHandle;
  const proxies: Proxy[] = [];
  const handles: DatabaseHandle[] = [];
  const apps: Puolesta[] = [];

  async function processVia(proxy: Proxy): Promise<Puolesta> {
    const url = await proxy.url();
    const h = await openDatabase({ url, schema, poolSize: 3 });
    handles.push(h);
    const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo', databaseUrl: url }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false });
    apps.push(p);
    // The index loads in the background (ready at once): this test is about a process answering from memory.
    await p.indexReady;
    return p;
  }

  beforeAll(async () => {
    direct = await openDatabase({ url: DATABASE_URL, schema, poolSize: 2 });
    await seedRegisters(direct.db, demoFixture());
    const today = helsinkiDate(Date.now());
    await direct.db.insertInto('mandates').values({
      id: 'cto-1', principal_type: 'person', principal_id: P.petra, agent_type: 'person', agent_id: P.mikael,
      issues: ['housing'], bundle: null, valid_from: addDays(today, -30), valid_until: addDays(today, 365), status: 'active', one_off: false,
      target_type: null, target_id: null, municipality: null, source: 'electronic', created_by: JSON.stringify({ kind: 'seed' }),
      approvers_required: [], approvers_done: [], paper_document: null, change_version: 0,
    }).execute();
  }, 60_000);

  afterAll(async () => {
    // Everything cut for good first: closing then fails fast instead of waiting on a silent network.
    for (const x of proxies) await x.close();
    for (const p of apps) await p.close().catch(() => {});
    for (const h of handles) await h.close().catch(() => {});
    await direct?.close();
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  it('the command succeeds once the leases have run out, and the change is in force everywhere', async () => {
    const writerProxy = new Proxy(new URL(DATABASE_URL!));
    const readerProxy = new Proxy(new URL(DATABASE_URL!));
    proxies.push(writerProxy, readerProxy);
    const writer = await processVia(writerProxy);
    const reader = await processVia(readerProxy);
    const q = { actor: { type: 'person' as const, id: P.mikael }, principal: { type: 'person' as const, id: P.petra }, issue: 'housing', municipality: '245', date: helsinkiDate(Date.now()) } as Parameters<typeof reader.ctx.index.check>[0];
    expect((await reader.ctx.index.check(q)).allowed).toBe(true);
    expect(reader.ctx.index.isFresh()).toBe(true);

    // The reader can no longer acknowledge anything, but its lease stands for up to LEASE_MS.
    readerProxy.cut('silent');
    const started = performance.now();
    const revoke = inUnitOfWork(writer.ctx, { kind: 'system' }, async (u) => {
      await u.db.updateTable('mandates').set({ status: 'revoked', change_version: await u.authzVersion() }).where('id', '=', 'cto-1').execute();
    }).then(() => 'done', (e: unknown) => e);
    // Committed (seen from outside both proxies), and the writer now waits for the reader: cut the writer too.
    for (let i = 0; i < 400; i++) {
      const row = await direct.db.selectFrom('mandates').select('status').where('id', '=', 'cto-1').executeTakeFirstOrThrow();
      if (row.status === 'revoked') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    writerProxy.cut('reset');

    expect(await revoke).toBe('done');
    const ms = performance.now() - started;
    // It returned only when no lease from before the commit could still be alive.
    expect(ms).toBeGreaterThan(LEASE_MS);
    // The reader, whose lease has lapsed, does not say yes (it asks the database, which is away).
    expect(reader.ctx.index.isFresh()).toBe(false);
    const answer = await Promise.resolve().then(() => reader.ctx.index.check(q)).then((d) => d.allowed, () => 'unavailable');
    expect(answer).not.toBe(true);
  }, 60_000);
});
