/**
 * "New enemy": once the revoke's HTTP response has arrived, no process may still say yes.
 * Two server processes share one PostgreSQL schema and answer checks from memory; the revoke
 * goes to one of them while both are under a loop of checks for that very mandate.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { openDatabase } from '../src/db/database.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedRegisters } from '../src/registers/seed.js';
import { startServer } from './new-enemy-process.js';
import { client, P } from './helpers.js';

const DATABASE_URL = process.env.DATABASE_URL;
const AFTER = 300; // checks per process after the revoke's response
const MAX_PER_LOOP = 20_000;

/** Notifications reach each process this late: without the lease/ack wait, the other one would still say yes. */
const NOTIFY_DELAY_MS = 300;


describe.skipIf(!DATABASE_URL)('new enemy: two server processes on one PostgreSQL schema (needs DATABASE_URL; skipped on PGlite)', () => {
  const schema = `ne_${randomBytes(5).toString('hex')}`;
  const servers: { child: ChildProcess; url: string }[] = [];
  const principal = P.petra;
  const agent = P.mikael;

  beforeAll(async () => {
    const h = await openDatabase({ url: DATABASE_URL, schema, poolSize: 2 });
    await seedRegisters(h.db, demoFixture());
    const today = helsinkiDate(Date.now());
    for (const id of ['ne-1', 'ne-2']) {
      await h.db.insertInto('mandates').values({
        id, principal_type: 'person', principal_id: principal, agent_type: 'person', agent_id: agent,
        issues: [id === 'ne-1' ? 'parking-and-streets' : 'waste-and-water'], bundle: null,
        valid_from: addDays(today, -30), valid_until: addDays(today, 365), status: 'active', one_off: false,
        target_type: null, target_id: null, municipality: null, source: 'electronic', created_by: JSON.stringify({ kind: 'seed' }),
        approvers_required: [], approvers_done: [], paper_document: null, change_version: 0,
      }).execute();
    }
    await h.close();
    servers.push(...(await Promise.all([startServer(schema, NOTIFY_DELAY_MS), startServer(schema, NOTIFY_DELAY_MS)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((res) => {
      if (s.child.exitCode !== null) return res();
      s.child.once('exit', () => res());
      s.child.kill('SIGTERM');
    })));
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  async function scenario(mandateId: string, issue: string, via: 0 | 1) {
    const records: { server: number; sentAt: number; status: number; allowed: boolean }[] = [];
    let revokedAt = Infinity;
    const after = [0, 0];
    const seenAllowed = [0, 0];
    const body = JSON.stringify({ actor: { type: 'person', id: agent }, principal: { type: 'person', id: principal }, issue });
    const done = () => after[0]! >= AFTER && after[1]! >= AFTER;

    const loop = async (server: number) => {
      for (let i = 0; i < MAX_PER_LOOP && !done(); i++) {
        const sentAt = performance.now();
        const r = await fetch(`${servers[server]!.url}/api/v1/authorizations/check`, {
          method: 'POST', headers: { authorization: client('049'), 'content-type': 'application/json' }, body,
        });
        const d = (await r.json()) as { allowed?: boolean };
        records.push({ server, sentAt, status: r.status, allowed: d.allowed === true });
        if (d.allowed) seenAllowed[server]!++;
        if (sentAt > revokedAt) after[server]!++;
      }
    };
    const loops = [loop(0), loop(0), loop(1), loop(1)];

    // Revoke only once both processes have been saying yes under the load (bounded wait).
    for (let i = 0; i < 2000 && (seenAllowed[0]! < 20 || seenAllowed[1]! < 20); i++) await new Promise((r) => setTimeout(r, 5));
    expect(seenAllowed[0]).toBeGreaterThanOrEqual(20);
    expect(seenAllowed[1]).toBeGreaterThanOrEqual(20);

    const login = await fetch(`${servers[via]!.url}/auth/demo-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: principal }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // The token from the other process: both derive it from the same database-held secret.
    const { csrfToken } = (await (await fetch(`${servers[1 - via]!.url}/api/v1/me`, { headers: { cookie } })).json()) as { csrfToken: string };
    const revoke = await fetch(`${servers[via]!.url}/api/v1/mandates/${mandateId}/revoke`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    revokedAt = performance.now();
    expect(revoke.status, await revoke.text()).toBe(200);
    await Promise.all(loops);

    const late = records.filter((r) => r.sentAt > revokedAt);
    expect(late.filter((r) => r.server === 0).length).toBeGreaterThanOrEqual(AFTER);
    expect(late.filter((r) => r.server === 1).length).toBeGreaterThanOrEqual(AFTER);
    // No exception: every check sent after the revoke's response says no, on either process.
    expect(late.filter((r) => r.status !== 200 || r.allowed)).toEqual([]);
  }

  it('after a revoke on process A has answered, neither A nor B says yes', async () => {
    await scenario('ne-1', 'parking-and-streets', 0);
  }, 60_000);

  it('and the same when the revoke goes to process B', async () => {
    await scenario('ne-2', 'waste-and-water', 1);
  }, 60_000);
});
