/**
 * "New enemy" for the registers: once a register command has returned in one process, every
 * other process answers by the new register. Process A is this test's own Puolesta (it runs the
 * commands, as a register feed would); B1 and B2 are server processes (new-enemy-server.ts) on the
 * same PostgreSQL schema, hearing change notifications 300 ms late, under a loop of checks.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedRegisters } from '../src/registers/seed.js';
import { endGuardianship, recordGuardianship, removeOrganizationRole, setOrganizationRole } from '../src/services/registers.service.js';
import { startServer } from './new-enemy-process.js';
import { client, O, P, person, org } from './helpers.js';

const DATABASE_URL = process.env.DATABASE_URL;
const AFTER = 200; // checks per server process after the command returned
const MAX_PER_LOOP = 20_000;
const NOTIFY_DELAY_MS = 300;


describe.skipIf(!DATABASE_URL)('registers: a change made in one process is in force in every other by the time the command returns (PostgreSQL only)', () => {
  const schema = `rne_${randomBytes(5).toString('hex')}`;
  const servers: { child: ChildProcess; url: string }[] = [];
  let h: DatabaseHandle;
  let a: Puolesta;

  beforeAll(async () => {
    h = await openDatabase({ url: DATABASE_URL, schema, poolSize: 4 });
    await seedRegisters(h.db, demoFixture());
    a = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo', databaseUrl: DATABASE_URL }, handle: h, logger: false, serveWeb: false, worker: false, simulators: false });
    await a.indexReady;
    servers.push(...(await Promise.all([startServer(schema, NOTIFY_DELAY_MS), startServer(schema, NOTIFY_DELAY_MS)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((res) => {
      if (s.child.exitCode !== null) return res();
      s.child.once('exit', () => res());
      s.child.kill('SIGTERM');
    })));
    await a?.close();
    await h?.close();
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  /** Checks `query` in loops on both servers; runs `command` once both say `before`; every check sent after it returned must say `!before`. */
  async function scenario(query: { actor: unknown; principal: unknown; issue: string }, before: boolean, command: () => Promise<unknown>) {
    const records: { server: number; sentAt: number; status: number; allowed: boolean }[] = [];
    let returnedAt = Infinity;
    const after = [0, 0];
    const seenBefore = [0, 0];
    const body = JSON.stringify(query);
    const done = () => after[0]! >= AFTER && after[1]! >= AFTER;
    const loop = async (server: number) => {
      for (let i = 0; i < MAX_PER_LOOP && !done(); i++) {
        const sentAt = performance.now();
        const r = await fetch(`${servers[server]!.url}/api/v1/authorizations/check`, {
          method: 'POST', headers: { authorization: client('049'), 'content-type': 'application/json' }, body,
        });
        const d = (await r.json()) as { allowed?: boolean };
        records.push({ server, sentAt, status: r.status, allowed: d.allowed === true });
        if (r.status === 200 && d.allowed === before && sentAt < returnedAt) seenBefore[server]!++;
        if (sentAt > returnedAt) after[server]!++;
      }
    };
    const loops = [loop(0), loop(0), loop(1), loop(1)];
    for (let i = 0; i < 2000 && (seenBefore[0]! < 20 || seenBefore[1]! < 20); i++) await new Promise((r) => setTimeout(r, 5));
    expect(seenBefore[0]).toBeGreaterThanOrEqual(20);
    expect(seenBefore[1]).toBeGreaterThanOrEqual(20);

    await command();
    returnedAt = performance.now();
    await Promise.all(loops);

    const late = records.filter((r) => r.sentAt > returnedAt);
    expect(late.filter((r) => r.server === 0).length).toBeGreaterThanOrEqual(AFTER);
    expect(late.filter((r) => r.server === 1).length).toBeGreaterThanOrEqual(AFTER);
    expect(late.filter((r) => r.status !== 200 || r.allowed === before)).toEqual([]);
  }

  it('a guardianship ended in A: B says no from the moment the command returns', async () => {
    await scenario({ actor: person(P.sanna), principal: person(P.ella), issue: 'basic-education' }, true,
      () => endGuardianship(a.ctx, { guardian: P.sanna, child: P.ella }));
  }, 60_000);

  it('a signing role removed in A: B says no from the moment the command returns', async () => {
    await scenario({ actor: person(P.jari), principal: org(O.keravaLampo), issue: 'waste-and-water' }, true,
      () => removeOrganizationRole(a.ctx, { organization: O.keravaLampo, person: P.jari, role: 'ceo' }));
  }, 60_000);

  it('a guardianship recorded in A: B says yes at once', async () => {
    await scenario({ actor: person(P.kari), principal: person(P.veera), issue: 'basic-education' }, false,
      () => recordGuardianship(a.ctx, { guardian: P.kari, child: P.veera }));
  }, 60_000);

  it('a signing role given in A: B says yes at once', async () => {
    await scenario({ actor: person(P.stranger), principal: org(O.taloyhtio), issue: 'housing' }, false,
      () => setOrganizationRole(a.ctx, { organization: O.taloyhtio, person: P.stranger, role: 'property-manager', signing: 'alone' }));
  }, 60_000);
});
