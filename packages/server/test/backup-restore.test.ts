/**
 * Restore drill (issue 12, item 8; decision 0021): seed, sign a checkpoint of the usage log, change
 * more, back up, restore into a fresh target (a new PGlite directory; on PostgreSQL a new database,
 * under another schema name), and check that every row is there (counts and a fingerprint per
 * table), that `npm run audit:verify` verifies the chain against the checkpoint, that the restored
 * database takes new writes, and that a tampered restored entry fails verification.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '@puolesta/domain';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv, type Config } from '../src/config.js';
import { backup, BackupProblem, kindOfFile, restore, type Target } from '../src/db/backup.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { auditHead, verifyAuditLog } from '../src/repositories/audit.repository.js';
import { tableFingerprints } from '../src/repositories/backup.repository.js';
import { client, DATABASE_URL, P, person, REFERENCE_NOW } from './helpers.js';

const run = promisify(execFile);
const keys = generateKeyPairSync('ed25519');
const ROOT = join(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'puolesta-restore-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

/** A fresh source and target: PGlite directories, or a schema on the server and a new database with another schema name. */
async function targets(): Promise<{ source: Target; target: Target }> {
  const rand = randomBytes(5).toString('hex');
  if (!DATABASE_URL) {
    return { source: { dataDir: join(work, 'source'), schema: 'public' }, target: { dataDir: join(work, 'restored'), schema: 'public' } };
  }
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const database = `t_restore_${rand}`;
  await admin.query(`create database ${database}`);
  await admin.end();
  const targetUrl = new URL(DATABASE_URL);
  targetUrl.pathname = `/${database}`;
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists t_src_${rand} cascade`);
    await c.query(`drop database if exists ${database} with (force)`);
    await c.end();
  });
  return {
    source: { url: DATABASE_URL, dataDir: 'memory://', schema: `t_src_${rand}` },
    target: { url: targetUrl.toString(), dataDir: 'memory://', schema: `t_dst_${rand}` },
  };
}

const open = (t: Target) => openDatabase({ url: t.url, dataDir: t.dataDir, schema: t.schema, poolSize: 3 });
async function app(handle: DatabaseHandle): Promise<Puolesta> {
  const config: Config = { ...configFromEnv({}), mode: 'demo' };
  const p = await createPuolesta({ config, handle, logger: false, serveWeb: false, worker: false, simulators: false, now: () => REFERENCE_NOW });
  await p.app.ready();
  return p;
}
const use = (p: Puolesta, errandRef: string) => p.app.inject({
  method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753') }, payload: { errandRef, actor: person(P.markku) },
});

describe('a restore drill', () => {
  it('restores every row into a fresh target; the usage log verifies against the last checkpoint; tampering is caught', async () => {
    const { source, target } = await targets();

    // Seed (the demo fixture), use a mandate, sign a checkpoint, then change more.
    let h = await open(source);
    let p = await app(h);
    for (let i = 0; i < 3; i++) expect((await use(p, `DRILL-${i}`)).statusCode).toBe(201);
    const checkpoint = signCheckpoint(await auditHead(h.db), REFERENCE_NOW, keys.privateKey);
    const checkpointFile = join(work, 'checkpoints.jsonl');
    writeFileSync(checkpointFile, `${JSON.stringify(checkpoint)}\n`);
    for (let i = 3; i < 5; i++) expect((await use(p, `DRILL-${i}`)).statusCode).toBe(201);
    await p.close();
    const before = await tableFingerprints(h.db, source.schema);
    const head = await auditHead(h.db);
    expect(head.seq).toBeGreaterThan(checkpoint.seq);
    // PGlite is one process's database: it is closed while its directory is backed up. PostgreSQL is backed up live.
    if (!source.url) await h.close();

    const file = join(work, 'puolesta.backup');
    const b = await backup(source, file);
    expect(b.bytes).toBe(statSync(file).size);
    expect(statSync(file).mode & 0o077).toBe(0); // its owner's only: it holds personal data
    expect(kindOfFile(file)).toBe(source.url ? 'postgres' : 'pglite');
    await expect(backup(source, file)).rejects.toThrow(/exists/);
    if (source.url) await h.close();

    await restore(target, file);
    // Only into an empty target.
    await expect(restore(target, file)).rejects.toBeInstanceOf(BackupProblem);

    h = await open(target);
    try {
      // Every row of every table, as it was backed up.
      const after = await tableFingerprints(h.db, target.schema);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      expect(after).toEqual(before);
      expect(after.audit_log!.rows).toBe(head.seq);
      expect(after.mandates!.rows).toBeGreaterThan(0);

      // `npm run audit:verify --checkpoint` on the restored database.
      const env = { ...process.env, DATABASE_URL: target.url ?? '', PUOLESTA_DATA_DIR: target.dataDir, PUOLESTA_DB_SCHEMA: target.schema, PUOLESTA_AUDIT_SIGNING_KEY: '', PUOLESTA_AUDIT_VERIFY_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string };
      if (!target.url) await h.close(); // PGlite: one process at a time
      const verified = await run('npx', ['tsx', 'packages/server/src/cli.ts', 'audit-verify', '--checkpoint', checkpointFile], { env, cwd: ROOT });
      expect(verified.stdout).toMatch(new RegExp(`audit log OK: ${head.seq} entries, chain intact; matches the signed checkpoint up to entry ${checkpoint.seq}`));
      if (!target.url) h = await open(target);

      // The restored database takes new writes and its chain goes on.
      p = await app(h);
      expect((await use(p, 'AFTER-RESTORE')).statusCode).toBe(201);
      await p.close();
      const r = await verifyAuditLog(h.db, { checkpoints: [checkpoint] });
      expect(r).toEqual({ entries: head.seq + 1, break: null });

      // A restored entry changed: verification fails, naming it.
      await h.db.updateTable('audit_log').set({ errand_ref: 'FORGED' }).where('seq', '=', checkpoint.seq).execute();
      const tampered = await verifyAuditLog(h.db, { checkpoints: [checkpoint] });
      expect(tampered.break).toMatchObject({ seq: checkpoint.seq, problem: 'changed' });
    } finally {
      await h.close().catch(() => {});
    }
  }, 300_000);

  it('tells what is wrong: a backup of the other kind, a file that is no backup', async () => {
    const junk = join(work, 'junk.bin');
    writeFileSync(junk, 'hello');
    const t: Target = DATABASE_URL ? { url: DATABASE_URL, dataDir: 'memory://', schema: 'public' } : { dataDir: join(work, 'other'), schema: 'public' };
    await expect(restore(t, junk)).rejects.toThrow(/not a backup made by npm run backup/);
    const otherKind = join(work, 'other-kind');
    writeFileSync(otherKind, DATABASE_URL ? Buffer.from([0x1f, 0x8b, 8, 0, 0]) : Buffer.from('PGDMP\u0001'));
    await expect(restore(t, otherKind)).rejects.toThrow(DATABASE_URL ? /embedded \(PGlite\)/ : /PostgreSQL database: restore it with DATABASE_URL set/);
  });
});
