import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { auditContent, auditContentForm2, chainHash, GENESIS_HASH, personalDigest, type AuditRecord } from '@puolesta/domain';

/**
 * Retention (decision 0017): the usage log's personal part (actor, data) is hashed through a salted digest
 * (form 3), so that it can be erased while the chain still verifies; mandates and errands remember when their
 * personal data was erased. Existing entries are first verified in form 2 (as 0004 did, a log that does not verify
 * is not re-hashed: that would launder the tampering; the migration fails naming the entry and changes
 * nothing), then each gets a salt and a digest and the chain is re-hashed in order; the head follows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log add column personal_salt text, add column personal_digest text`.execute(db);
  await sql`alter table mandates add column if not exists erased_at timestamptz`.execute(db);
  await sql`alter table errands add column if not exists erased_at timestamptz`.execute(db);
  // Retention finds an errand's entries (they have no mandate) by the errand named in their data.
  await sql`create index if not exists audit_log_errand on audit_log ((data->>'errandId')) where mandate_id is null`.execute(db);

  const head = (await sql<{ seq: number | string; hash: string }>`select seq, hash from audit_head where id = 1`.execute(db)).rows[0]!;
  let oldPrev = GENESIS_HASH;
  let newPrev = GENESIS_HASH;
  let expect = 1;
  const broken = (seq: number, why: string) =>
    new Error(`migration 0014-audit-personal-part: the usage log does not verify at entry ${seq} (${why}); it is not re-hashed. Restore the log from a backup, then start again.`);
  for (let after = 0; ;) {
    const rows = (await sql<{
      seq: number | string; at: Date | string; mandate_id: string | null; event: string; actor: unknown; errand_ref: string | null;
      municipality: string | null; api_client: string | null; data: unknown; prev_hash: string; hash: string;
    }>`select seq, at, mandate_id, event, actor, errand_ref, municipality, api_client, data, prev_hash, hash
       from audit_log where seq > ${after} order by seq limit 1000`.execute(db)).rows;
    for (const row of rows) {
      const seq = Number(row.seq);
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      const r = {
        seq, at: new Date(row.at).toISOString(), mandateId: row.mandate_id, event: row.event, actor: parse(row.actor),
        errandRef: row.errand_ref, municipality: row.municipality, apiClient: row.api_client, data: (parse(row.data) ?? {}) as Record<string, unknown>,
      };
      if (seq !== expect) throw broken(expect, 'an entry is missing');
      if (row.prev_hash !== oldPrev) throw broken(seq, 'the chain link does not match the previous entry');
      if (chainHash(row.prev_hash, auditContentForm2(r)) !== row.hash) throw broken(seq, 'the entry was changed');
      oldPrev = row.hash;
      expect++;

      const salt = randomBytes(16).toString('hex');
      const record: AuditRecord = { ...r, personalSalt: salt, personalDigest: personalDigest(salt, r) };
      const hash = chainHash(newPrev, auditContent(record));
      await sql`update audit_log set personal_salt = ${salt}, personal_digest = ${record.personalDigest}, prev_hash = ${newPrev}, hash = ${hash}
        where seq = ${seq}`.execute(db);
      newPrev = hash;
    }
    if (rows.length < 1000) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  if (Number(head.seq) !== expect - 1 || head.hash !== oldPrev) throw broken(expect, 'the head does not match the last entry: entries at the end are missing');
  await sql`update audit_head set hash = ${newPrev} where id = 1`.execute(db);
  await sql`alter table audit_log alter column personal_digest set not null`.execute(db);
}
