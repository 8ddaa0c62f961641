import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditContent, auditContentForm2, auditKeyId, chainHash, checkpointSignatureValid, GENESIS_HASH, personalDigest, signCheckpoint, type AuditCheckpoint } from '@puolesta/domain';
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { appendAudit, auditEntriesFor, auditHead, verifyAuditLog } from '../src/repositories/audit.repository.js';
import { client, freshDatabase, onPostgres, P, person, startTestApp, type TestApp } from './helpers.js';

const run = promisify(execFile);
const keys = generateKeyPairSync('ed25519');

type Row = Awaited<ReturnType<typeof allRows>>[number];
const allRows = (db: Db) => db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

/** What an attacker with write access to the database would do after editing: re-hash from there on. */
async function rehashAll(db: Db) {
  let prev = GENESIS_HASH;
  for (const r of await allRows(db)) {
    const digest = r.personal_salt === null ? r.personal_digest : personalDigest(r.personal_salt, { actor: r.actor, data: r.data });
    const hash = chainHash(prev, auditContent({
      seq: Number(r.seq), at: new Date(r.at).toISOString(), mandateId: r.mandate_id, event: r.event,
      errandRef: r.errand_ref, municipality: r.municipality, apiClient: r.api_client, personalDigest: digest,
    }));
    await db.updateTable('audit_log').set({ personal_digest: digest, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
  const last = await db.selectFrom('audit_log').select(['seq']).orderBy('seq', 'desc').executeTakeFirst();
  await db.updateTable('audit_head').set({ seq: last ? Number(last.seq) : 0, hash: prev }).where('id', '=', 1).execute();
}

describe('every column of a usage-log entry is hashed, and signed checkpoints catch what the chain alone cannot', () => {
  let t: TestApp;
  let db: Db;
  let saved: Row[];
  let savedHead: { seq: number; hash: string };
  let uses: Row[];
  let cp: AuditCheckpoint;

  const sign = (head: { seq: number; hash: string }) => signCheckpoint(head, t.clock.now, keys.privateKey);
  const verify = (checkpoints?: AuditCheckpoint[]) => verifyAuditLog(db, checkpoints ? { checkpoints } : {}).then((r) => r.break);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.ctx.db;
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753') }, payload: { errandRef: `E-${i}`, actor: person(P.markku) } });
      expect(r.statusCode).toBe(201);
    }
    saved = await allRows(db);
    savedHead = await auditHead(db);
    uses = saved.filter((r) => r.event === 'used');
    cp = sign(savedHead);
  });
  afterEach(async () => {
    // Put the log back as it was, so every test starts from the intact log.
    await db.deleteFrom('audit_log').execute();
    await db.insertInto('audit_log').values(saved.map((r) => ({ ...r, actor: JSON.stringify(r.actor), data: JSON.stringify(r.data) }))).execute();
    await db.updateTable('audit_head').set(savedHead).where('id', '=', 1).execute();
  });
  afterAll(async () => { await t?.stop(); });

  it('a use is logged with its errand, municipality and API client, and the intact log verifies with and without a checkpoint', async () => {
    expect(uses.map((u) => [u.errand_ref, u.municipality, u.api_client])).toEqual([['E-0', '753', 'demo-753'], ['E-1', '753', 'demo-753'], ['E-2', '753', 'demo-753']]);
    const log = await auditEntriesFor(db, 'veikko-markku');
    expect(log.filter((e) => e.entry.event === 'used').map((e) => e.entry.data)).toEqual([0, 1, 2].map((i) => ({ errandRef: `E-${i}`, municipality: '753', apiClient: 'demo-753' })));
    expect(await verify()).toBeNull();
    expect(await verify([cp])).toBeNull();
  });

  it('an entry takes its time from the injected clock, and its errand, municipality and client given or from data', async () => {
    await db.transaction().execute(async (tx) => {
      await appendAudit(tx, { mandateId: 'veikko-markku', event: 'used', actor: { kind: 'person', id: P.markku }, at: t.clock.now, errandRef: 'E-given', data: { municipality: '753', apiClient: 'demo-753', note: 'kept' } });
    });
    const last = (await auditEntriesFor(db, 'veikko-markku')).at(-1)!;
    expect(last.entry).toEqual({ seq: savedHead.seq + 1, at: t.clock.now.toISOString(), mandateId: 'veikko-markku', event: 'used', actor: { kind: 'person', id: P.markku }, data: { errandRef: 'E-given', municipality: '753', apiClient: 'demo-753', note: 'kept' } });
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', savedHead.seq + 1).executeTakeFirstOrThrow();
    expect([row.errand_ref, row.municipality, row.api_client, row.data]).toEqual(['E-given', '753', 'demo-753', { note: 'kept' }]);
    expect(await verify([cp])).toBeNull();
  });

  it('an older checkpoint still holds after the log has grown', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753') }, payload: { errandRef: 'E-later', actor: person(P.markku) } });
    expect((await auditHead(db)).seq).toBe(savedHead.seq + 1);
    expect(await verify([cp])).toBeNull();
  });

  it('detects an edit of an entry', async () => {
    const granted = saved.find((r) => r.event === 'granted')!;
    await db.updateTable('audit_log').set({ data: JSON.stringify({ ...granted.data, validUntil: '2099-12-31' }) }).where('seq', '=', granted.seq).execute();
    expect(await verify()).toEqual({ seq: Number(granted.seq), problem: 'changed' });
  });

  it('detects a use moved into another mandate’s log, which that mandate’s readers would otherwise show', async () => {
    const use = uses[0]!;
    const other = saved.find((r) => r.mandate_id && r.mandate_id !== 'veikko-markku')!.mandate_id!;
    await db.updateTable('audit_log').set({ mandate_id: other }).where('seq', '=', use.seq).execute();
    expect((await auditEntriesFor(db, other)).map((e) => e.entry.data.errandRef)).toContain('E-0');
    expect(await verify()).toEqual({ seq: Number(use.seq), problem: 'changed' });
  });

  const columnChanges: [string, (r: Row) => Record<string, unknown>][] = [
    ['errand reference', () => ({ errand_ref: 'E-FORGED' })],
    ['municipality', () => ({ municipality: '091' })],
    ['API client', () => ({ api_client: 'demo-091' })],
    ['time', (r) => ({ at: new Date(new Date(r.at).getTime() + 1000) })],
    ['event', () => ({ event: 'used-and-consumed' })],
    ['actor', () => ({ actor: JSON.stringify({ kind: 'person', id: P.veikko }) })],
    ['data', () => ({ data: JSON.stringify({ note: 'added' }) })],
  ];
  it.each(columnChanges)('detects a changed %s column', async (_name, change) => {
    const use = uses[1]!;
    await db.updateTable('audit_log').set(change(use) as any).where('seq', '=', use.seq).execute();
    expect(await verify()).toEqual({ seq: Number(use.seq), problem: 'changed' });
  });

  it('detects an entry deleted in the middle', async () => {
    await db.deleteFrom('audit_log').where('seq', '=', uses[1]!.seq).execute();
    expect(await verify()).toEqual({ seq: Number(uses[1]!.seq), problem: 'missing-before' });
  });

  it('detects two entries whose content was swapped, and two entries swapped whole', async () => {
    const [a, b] = [uses[0]!, uses[2]!];
    const content = (r: Row) => ({ at: r.at, mandate_id: r.mandate_id, event: r.event, actor: JSON.stringify(r.actor), errand_ref: r.errand_ref, municipality: r.municipality, api_client: r.api_client, data: JSON.stringify(r.data) });
    await db.updateTable('audit_log').set(content(b)).where('seq', '=', a.seq).execute();
    await db.updateTable('audit_log').set(content(a)).where('seq', '=', b.seq).execute();
    expect(await verify()).toEqual({ seq: Number(a.seq), problem: 'changed' });

    await db.deleteFrom('audit_log').where('seq', 'in', [a.seq, b.seq]).execute();
    const whole = (r: Row, seq: number) => ({ ...r, seq, actor: JSON.stringify(r.actor), data: JSON.stringify(r.data) });
    await db.insertInto('audit_log').values([whole(b, a.seq), whole(a, b.seq)]).execute();
    expect(await verify()).toEqual({ seq: Number(a.seq), problem: 'link' });
  });

  it('a rewritten and re-hashed log passes the chain alone but not a checkpoint, which narrows down where', async () => {
    const early = saved[1]!; // a checkpoint taken when the log had two entries
    const cpEarly = sign({ seq: Number(early.seq), hash: early.hash });
    await db.updateTable('audit_log').set({ errand_ref: 'E-FORGED' }).where('seq', '=', uses[0]!.seq).execute();
    await rehashAll(db);
    expect(await verify()).toBeNull();
    expect(await verify([cp])).toEqual({ seq: savedHead.seq, problem: 'rewritten', after: 0 });
    expect(await verify([cpEarly, cp])).toEqual({ seq: savedHead.seq, problem: 'rewritten', after: Number(early.seq) });
  });

  it('detects the end deleted together with the head rewound, with a checkpoint', async () => {
    const keep = saved[saved.length - 3]!;
    await db.deleteFrom('audit_log').where('seq', '>', keep.seq).execute();
    await db.updateTable('audit_head').set({ seq: keep.seq, hash: keep.hash }).where('id', '=', 1).execute();
    expect(await verify()).toBeNull(); // the chain alone cannot tell
    expect(await verify([cp])).toEqual({ seq: Number(keep.seq) + 1, problem: 'missing-before' });
  });

  it('detects a wiped log: by the head while it remains, and by a checkpoint when the head is reset too', async () => {
    await db.deleteFrom('audit_log').execute();
    expect(await verify()).toEqual({ seq: 1, problem: 'missing-before' });
    await db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute();
    expect(await verify()).toBeNull();
    expect(await verify([cp])).toEqual({ seq: 1, problem: 'missing-before' });
  });

  it('a checkpoint is signed: an auditor checks it with the public key alone, and an altered one fails', () => {
    const publicOnly = createPublicKey(keys.publicKey.export({ type: 'spki', format: 'pem' }));
    expect(cp.keyId).toBe(auditKeyId(publicOnly));
    expect(checkpointSignatureValid(cp, publicOnly)).toBe(true);
    expect(checkpointSignatureValid({ ...cp, seq: cp.seq - 1 }, publicOnly)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, headHash: saved[0]!.hash }, publicOnly)).toBe(false);
    expect(checkpointSignatureValid(cp, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });
});

describe('migration 0004 re-hashes the existing log in the new form, and 0014 then in form 3', () => {
  // Each builds a database and runs the migrations again: slow on a busy machine.
  const SLOW = 120_000;
  /** The log as it was before 0004: one `entry` JSON per row, its hash over that alone. */
  async function oldLog(h: Awaited<ReturnType<typeof freshDatabase>>) {
    await sql`drop table audit_log`.execute(h.db);
    await sql`create table audit_log (seq bigint primary key, mandate_id text, event text not null, entry jsonb not null, prev_hash text not null, hash text not null)`.execute(h.db);
    await sql`create index audit_log_mandate on audit_log (mandate_id)`.execute(h.db);
    await sql`delete from kysely_migration where name in ('0004-audit-columns', '0014-audit-personal-part')`.execute(h.db);
    const entries = [
      { seq: 1, at: '2026-11-01T08:00:00.000Z', mandateId: 'm-1', event: 'granted', actor: { kind: 'seed' }, data: { issues: ['housing'], validFrom: '2026-11-01', validUntil: '2027-11-01' } },
      { seq: 2, at: '2026-11-02T09:30:00.123Z', mandateId: 'm-1', event: 'used', actor: { kind: 'person', id: P.markku }, data: { errandRef: 'E-1', municipality: '753', apiClient: 'demo-753' } },
      { seq: 3, at: '2026-11-03T10:00:00.000Z', mandateId: 'm-2', event: 'revoked', actor: { kind: 'person', id: P.veikko }, data: {} },
    ];
    let prev = GENESIS_HASH;
    for (const e of entries) {
      const hash = chainHash(prev, e);
      await sql`insert into audit_log values (${e.seq}, ${e.mandateId}, ${e.event}, ${JSON.stringify(e)}::jsonb, ${prev}, ${hash})`.execute(h.db);
      prev = hash;
    }
    await sql`update audit_head set seq = 3, hash = ${prev}`.execute(h.db);
    return entries;
  }

  it('keeps what readers see, puts errand, municipality and client in hashed columns, and the log verifies', async () => {
    const h = await freshDatabase();
    try {
      const entries = await oldLog(h);
      await migrateToLatest(h.db, h.schema);
      expect(await verifyAuditLog(h.db)).toEqual({ entries: 3, break: null });
      expect(await auditEntriesFor(h.db, 'm-1')).toEqual([{ seq: 1, entry: entries[0] }, { seq: 2, entry: entries[1] }]);
      const use = await h.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
      expect([use.errand_ref, use.municipality, use.api_client, use.data]).toEqual(['E-1', '753', 'demo-753', {}]);
      await h.db.updateTable('audit_log').set({ municipality: '091' }).where('seq', '=', 2).execute();
      expect((await verifyAuditLog(h.db)).break).toEqual({ seq: 2, problem: 'changed' });
    } finally {
      await h.drop();
    }
  }, SLOW);

  it('refuses to re-hash a log that does not verify (a use moved to another mandate), and changes nothing', async () => {
    const h = await freshDatabase();
    try {
      await oldLog(h);
      await sql`update audit_log set mandate_id = 'm-2' where seq = 2`.execute(h.db);
      await expect(migrateToLatest(h.db, h.schema)).rejects.toThrow(/does not verify at entry 2/);
      const still = await sql<{ mandate_id: string; entry: { mandateId: string } }>`select mandate_id, entry from audit_log where seq = 2`.execute(h.db);
      expect(still.rows[0]).toMatchObject({ mandate_id: 'm-2', entry: { mandateId: 'm-1' } });
    } finally {
      await h.drop();
    }
  }, SLOW);
});

describe('migration 0014 moves the log to form 3 (the personal part by a salted digest, decision 0017)', () => {
  const SLOW = 120_000;
  /** The log as it was before 0014: form 2, the hash over the personal part itself. */
  async function form2Log(h: Awaited<ReturnType<typeof freshDatabase>>) {
    await sql`alter table audit_log drop column personal_salt, drop column personal_digest`.execute(h.db);
    await sql`delete from kysely_migration where name = '0014-audit-personal-part'`.execute(h.db);
    const entries = [
      { seq: 1, at: '2026-11-01T08:00:00.000Z', mandateId: 'm-1', event: 'granted', actor: { kind: 'person', id: P.veikko }, errandRef: null, municipality: null, apiClient: null, data: { issues: ['housing'] } },
      { seq: 2, at: '2026-11-02T09:30:00.123Z', mandateId: 'm-1', event: 'used', actor: { kind: 'person', id: P.markku }, errandRef: 'E-1', municipality: '753', apiClient: 'demo-753', data: {} },
      { seq: 3, at: '2026-11-03T10:00:00.000Z', mandateId: 'm-1', event: 'revoked', actor: { kind: 'person', id: P.veikko }, errandRef: null, municipality: null, apiClient: null, data: {} },
    ];
    let prev = GENESIS_HASH;
    for (const e of entries) {
      const hash = chainHash(prev, auditContentForm2(e));
      await sql`insert into audit_log (seq, at, mandate_id, event, actor, errand_ref, municipality, api_client, data, prev_hash, hash)
        values (${e.seq}, ${e.at}, ${e.mandateId}, ${e.event}, ${JSON.stringify(e.actor)}::jsonb, ${e.errandRef}, ${e.municipality}, ${e.apiClient},
        ${JSON.stringify(e.data)}::jsonb, ${prev}, ${hash})`.execute(h.db);
      prev = hash;
    }
    await sql`update audit_head set seq = 3, hash = ${prev}`.execute(h.db);
    return entries;
  }

  it('keeps what readers see, gives each entry its own salt, and the log verifies; erasing an entry keeps it verifying', async () => {
    const h = await freshDatabase();
    try {
      const entries = await form2Log(h);
      await migrateToLatest(h.db, h.schema);
      expect(await verifyAuditLog(h.db)).toEqual({ entries: 3, break: null });
      expect(await auditEntriesFor(h.db, 'm-1')).toEqual(entries.map(({ errandRef, municipality, apiClient, ...e }) =>
        ({ seq: e.seq, entry: { ...e, data: { ...e.data, ...(errandRef ? { errandRef, municipality, apiClient } : {}) } } })));
      const rows = await h.db.selectFrom('audit_log').select(['personal_salt', 'personal_digest']).orderBy('seq').execute();
      expect(new Set(rows.map((r) => r.personal_salt)).size).toBe(3);
      // Erased by hand, the chain holds but the erasure is unrecorded; the personal part changed is caught.
      await h.db.updateTable('audit_log').set({ actor: JSON.stringify({ kind: 'erased' }), data: JSON.stringify({}), personal_salt: null }).where('seq', '=', 1).execute();
      expect((await verifyAuditLog(h.db)).break).toEqual({ seq: 1, problem: 'erased-unrecorded' });
      await h.db.updateTable('audit_log').set({ actor: JSON.stringify({ kind: 'person', id: P.stranger }) }).where('seq', '=', 2).execute();
      expect((await verifyAuditLog(h.db)).break).toEqual({ seq: 2, problem: 'changed' });
    } finally {
      await h.drop();
    }
  }, SLOW);

  it('refuses to re-hash a form-2 log that does not verify, naming the entry, and changes nothing', async () => {
    const h = await freshDatabase();
    try {
      await form2Log(h);
      await sql`update audit_log set actor = ${JSON.stringify({ kind: 'person', id: P.stranger })}::jsonb where seq = 2`.execute(h.db);
      await expect(migrateToLatest(h.db, h.schema)).rejects.toThrow(/0014-audit-personal-part.*does not verify at entry 2/);
      const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'audit_log' and table_schema = ${h.schema}`.execute(h.db);
      expect(cols.rows.map((c) => c.column_name)).not.toContain('personal_salt');
    } finally {
      await h.drop();
    }
  }, SLOW);
});

describe.skipIf(onPostgres)('npm run audit:checkpoint and audit:verify --checkpoint (on the embedded database)', () => {
  it('signs the head, and with the public key alone catches the end deleted with the head rewound that plain verify misses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-checkpoint-'));
    try {
      const base = { ...process.env, PUOLESTA_DATA_DIR: dir, DATABASE_URL: '', PUOLESTA_AUDIT_SIGNING_KEY: '', PUOLESTA_AUDIT_VERIFY_KEY: '' };
      const cli = (args: string[], env: Record<string, string> = {}) =>
        run('npx', ['tsx', 'packages/server/src/cli.ts', ...args], { env: { ...base, ...env }, cwd: join(import.meta.dirname, '../../..') });
      const p = await createPuolesta({ config: { ...configFromEnv({}), dataDir: dir }, logger: false, serveWeb: false, worker: false, simulators: false });
      await p.close();

      const unkeyed = await cli(['audit-checkpoint']).catch((e) => e);
      expect(unkeyed.code).toBe(2);
      expect(unkeyed.stderr).toMatch(/PUOLESTA_AUDIT_SIGNING_KEY/);

      const signed = await cli(['audit-checkpoint'], { PUOLESTA_AUDIT_SIGNING_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
      const checkpoint = JSON.parse(signed.stdout);
      expect(checkpoint).toMatchObject({ seq: 7, headHash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String), keyId: auditKeyId(keys.publicKey) });
      const file = join(dir, 'checkpoint.json');
      writeFileSync(file, signed.stdout);

      const h = await openDatabase({ dataDir: dir });
      const keep = await h.db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', 5).executeTakeFirstOrThrow();
      await h.db.deleteFrom('audit_log').where('seq', '>', 5).execute();
      await h.db.updateTable('audit_head').set({ seq: keep.seq, hash: keep.hash }).where('id', '=', 1).execute();
      await h.close();

      expect((await cli(['audit-verify'])).stdout).toMatch(/audit log OK: 5 entries/);
      const verifyKey = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const caught = await cli(['audit-verify', '--checkpoint', file], { PUOLESTA_AUDIT_VERIFY_KEY: verifyKey }).catch((e) => e);
      expect(caught.code).toBe(1);
      expect(caught.stderr).toMatch(/BROKEN at entry 6: an entry is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
