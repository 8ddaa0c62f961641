import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { verifyAuditLog } from '../src/repositories/audit.repository.js';
import { client, P, person, startTestApp, onPostgres, type TestApp } from './helpers.js';
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';

const run = promisify(execFile);

describe('the usage log is append-only and tamper-evident', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753') }, payload: { errandRef: `E-${i}`, actor: person(P.markku) } });
    }
  });
  afterAll(async () => { await t?.stop(); });

  it('verifies intact', async () => {
    const r = await verifyAuditLog(t.ctx.db);
    expect(r.break).toBeNull();
    expect(r.entries).toBeGreaterThanOrEqual(10);
  });

  it('detects a changed entry', async () => {
    const row = await t.ctx.db.selectFrom('audit_log').select(['seq', 'errand_ref']).where('event', '=', 'used').orderBy('seq').executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('audit_log').set({ errand_ref: 'FORGED' }).where('seq', '=', row.seq).execute();
    expect((await verifyAuditLog(t.ctx.db)).break).toEqual({ seq: Number(row.seq), problem: 'changed' });
    await t.ctx.db.updateTable('audit_log').set({ errand_ref: row.errand_ref }).where('seq', '=', row.seq).execute();
    expect((await verifyAuditLog(t.ctx.db)).break).toBeNull();
  });

  it('detects a deleted entry, in the middle or at the end', async () => {
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const middle = rows[3]!;
    await t.ctx.db.deleteFrom('audit_log').where('seq', '=', middle.seq).execute();
    expect((await verifyAuditLog(t.ctx.db)).break).toMatchObject({ seq: Number(middle.seq), problem: 'missing-before' });
    await t.ctx.db.insertInto('audit_log').values(middle).execute();
    const last = rows[rows.length - 1]!;
    await t.ctx.db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
    expect((await verifyAuditLog(t.ctx.db)).break).toMatchObject({ problem: 'missing-before' });
    await t.ctx.db.insertInto('audit_log').values(last).execute();
    expect((await verifyAuditLog(t.ctx.db)).break).toBeNull();
  });

  it('chains entries in order even when many changes commit at once', async () => {
    const headers = await t.as({ person: P.aino });
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.app.inject({
      method: 'POST', url: '/api/v1/mandates', headers,
      payload: { agent: person(P.kari), issues: ['housing'], validUntil: `2027-01-${String(i + 10)}` },
    })));
    const r = await verifyAuditLog(t.ctx.db);
    expect(r.break).toBeNull();
    const n = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.ctx.db);
    expect(r.entries).toBe(n.rows[0]!.n);
  });
});

describe.skipIf(onPostgres)('npm run audit:verify (on the embedded database)', () => {
  it('says OK on an intact log, and exits 1 naming the entry on a changed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-audit-'));
    try {
      const env = { ...process.env, PUOLESTA_DATA_DIR: dir, DATABASE_URL: '' };
      const cli = () => run('npx', ['tsx', 'packages/server/src/cli.ts', 'audit-verify'], { env, cwd: join(import.meta.dirname, '../../..') });
      const p = await createPuolesta({ config: { ...configFromEnv({}), dataDir: dir }, logger: false, serveWeb: false, worker: false, simulators: false });
      await p.close();
      expect((await cli()).stdout).toMatch(/audit log OK: 7 entries/);
      const again = await createPuolesta({ config: { ...configFromEnv({}), dataDir: dir }, logger: false, serveWeb: false, worker: false, simulators: false });
      await again.ctx.db.updateTable('audit_log').set({ event: 'edited' }).where('seq', '=', 2).execute();
      await again.close();
      const failed = await cli().catch((e) => e);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/BROKEN at entry 2: the entry was changed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // each CLI run starts tsx and PGlite: slow on a loaded machine
});
