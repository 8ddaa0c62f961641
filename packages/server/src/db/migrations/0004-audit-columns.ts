import { sql, type Kysely } from 'kysely';
import { auditContentForm2 as auditContent, chainHash, GENESIS_HASH, type AuditRecord } from '@puolesta/domain';

/**
 * The usage log's entries become columns that are all covered by the hash (form 2, see
 * docs/decisions/0005-audit-log-checkpoints.md). Existing entries are first verified in the old
 * form (hash over `entry`, and the `mandate_id`/`event` columns equal to it); a log that does not
 * verify is not re-hashed — that would launder the tampering — and the migration fails naming the
 * entry. Then every entry is re-hashed in the new form, in order, and the head follows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log
    add column at timestamptz(3), add column actor jsonb, add column errand_ref text,
    add column municipality text, add column api_client text, add column data jsonb`.execute(db);

  const head = (await sql<{ seq: number | string; hash: string }>`select seq, hash from audit_head where id = 1`.execute(db)).rows[0]!;
  let oldPrev = GENESIS_HASH;
  let newPrev = GENESIS_HASH;
  let expect = 1;
  const broken = (seq: number, why: string) =>
    new Error(`migration 0004-audit-columns: the usage log does not verify at entry ${seq} (${why}); it is not re-hashed. Restore the log from a backup, then start again.`);
  for (let after = 0; ;) {
    const rows = (await sql<{ seq: number | string; mandate_id: string | null; event: string; entry: any; prev_hash: string; hash: string }>`
      select seq, mandate_id, event, entry, prev_hash, hash from audit_log where seq > ${after} order by seq limit 1000`.execute(db)).rows;
    for (const row of rows) {
      const seq = Number(row.seq);
      const e = typeof row.entry === 'string' ? JSON.parse(row.entry) : row.entry;
      if (seq !== expect) throw broken(expect, 'an entry is missing');
      if (row.prev_hash !== oldPrev) throw broken(seq, 'the chain link does not match the previous entry');
      if (chainHash(row.prev_hash, e) !== row.hash) throw broken(seq, 'the entry was changed');
      if (e.seq !== seq || (e.mandateId ?? null) !== row.mandate_id || e.event !== row.event) throw broken(seq, 'a column differs from the hashed entry');
      oldPrev = row.hash;
      expect++;

      const data: Record<string, unknown> = { ...(e.data ?? {}) };
      const lift = (k: string): string | null => {
        const v = data[k];
        if (typeof v !== 'string') return null;
        delete data[k];
        return v;
      };
      const r: Omit<AuditRecord, 'personalSalt' | 'personalDigest'> = {
        seq, at: new Date(e.at).toISOString(), mandateId: e.mandateId ?? null, event: e.event, actor: e.actor,
        errandRef: lift('errandRef'), municipality: lift('municipality'), apiClient: lift('apiClient'), data,
      };
      const hash = chainHash(newPrev, auditContent(r));
      await sql`update audit_log set at = ${r.at}, actor = ${JSON.stringify(r.actor ?? null)}::jsonb, errand_ref = ${r.errandRef},
        municipality = ${r.municipality}, api_client = ${r.apiClient}, data = ${JSON.stringify(r.data)}::jsonb,
        prev_hash = ${newPrev}, hash = ${hash} where seq = ${seq}`.execute(db);
      newPrev = hash;
    }
    if (rows.length < 1000) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  if (Number(head.seq) !== expect - 1 || head.hash !== oldPrev) throw broken(expect, 'the head does not match the last entry: entries at the end are missing');
  await sql`update audit_head set hash = ${newPrev} where id = 1`.execute(db);

  await sql`alter table audit_log drop column entry,
    alter column at set not null, alter column actor set not null, alter column data set not null`.execute(db);
}
