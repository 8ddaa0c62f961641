/**
 * The authorization index's reads and its lease bookkeeping (decision 0002): the snapshot a process
 * loads at start, in keyset pages of only the columns a decision needs, and the rows through which
 * processes acknowledge change versions.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { partyKey, type PartyRef } from '@puolesta/domain';
import type { Db, DatabaseHandle } from '../db/database.js';

/** The authorization version; `share` holds the row so that no writer commits meanwhile. */
export async function authzVersion(db: Db, share = false): Promise<number> {
  let q = db.selectFrom('authz_state').select('version').where('id', '=', 1);
  if (share) q = q.forShare();
  return Number((await q.executeTakeFirstOrThrow()).version);
}

/**
 * The tables of the index's snapshot and the columns each line carries, in order (decision 0019).
 * Party types as one letter (p/o), dates as day numbers since 2000-01-01, arrays as their text.
 */
export const SNAPSHOT_TABLES = {
  persons: 'select id from persons',
  organizations: 'select id from organizations',
  mandates: `select case agent_type when 'person' then 'p' else 'o' end as agent_type, agent_id, case principal_type when 'person' then 'p' else 'o' end as principal_type,
      principal_id, id, issues::text as issues, (valid_from - date '2000-01-01') as valid_from, (valid_until - date '2000-01-01') as valid_until, status, one_off,
      target_id, municipality from mandates`,
  guardianships: 'select guardian_id, child_id from guardianships',
  courtGuardianships: 'select id, guardian_id, ward_id, scope::text as scope, valid_until::text as valid_until from court_guardianships',
  organizationRoles: 'select person_id, organization_id, role, signing from organization_roles',
} as const;
export type SnapshotTable = keyof typeof SNAPSHOT_TABLES;

export interface SnapshotReader {
  /** Row counts as the planner estimates them (to size arrays once); may be 0. */
  estimates(counts: Record<SnapshotTable, number>): void;
  /** One row as a COPY text line (tab-separated fields, \N for null, newline at the end). */
  line(table: SnapshotTable, chunk: Buffer): void;
}

/**
 * Reads the whole snapshot in one repeatable-read transaction and returns its authorization version.
 * On PostgreSQL each table comes as `COPY (…) TO STDOUT` on a raw connection: one line per row, no
 * row objects. PGlite has no COPY to the client: there each table is one select (PGlite holds small
 * data), its rows turned into the same lines.
 */
export async function readIndexSnapshot(h: DatabaseHandle, reader: SnapshotReader): Promise<number> {
  const tables = Object.keys(SNAPSHOT_TABLES) as SnapshotTable[];
  if (h.rawClient) {
    // Two connections on one exported snapshot: mandates on one, everything else on the other, so that
    // PostgreSQL produces both while this process parses (lines of both interleave; each is whole).
    const main = await h.rawClient();
    let other: pg.PoolClient | null = null;
    let failed = false;
    try {
      await main.query('begin isolation level repeatable read read only');
      const version = Number((await main.query<{ version: string }>('select version from authz_state where id = 1')).rows[0]!.version);
      const snapshot = (await main.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s;
      const est = await main.query<{ relname: string; n: number }>(
        `select c.relname, greatest(c.reltuples, 0)::float8 as n from pg_class c where c.relnamespace = current_schema()::regnamespace
           and c.relname in ('persons', 'organizations', 'mandates', 'guardianships', 'court_guardianships', 'organization_roles')`);
      const byName = new Map(est.rows.map((r) => [r.relname, Number(r.n)]));
      reader.estimates({
        persons: byName.get('persons') ?? 0, organizations: byName.get('organizations') ?? 0, mandates: byName.get('mandates') ?? 0,
        guardianships: byName.get('guardianships') ?? 0, courtGuardianships: byName.get('court_guardianships') ?? 0, organizationRoles: byName.get('organization_roles') ?? 0,
      });
      other = await h.rawClient();
      const second = other;
      await second.query('begin isolation level repeatable read read only');
      await second.query(`set transaction snapshot '${snapshot.replace(/'/g, "''")}'`);
      await Promise.all([
        (async () => {
          await copyOut(second, `copy (${SNAPSHOT_TABLES.mandates}) to stdout`, (chunk) => reader.line('mandates', chunk));
          await second.query('commit');
        })(),
        (async () => {
          for (const t of tables) if (t !== 'mandates') await copyOut(main, `copy (${SNAPSHOT_TABLES[t]}) to stdout`, (chunk) => reader.line(t, chunk));
        })(),
      ]);
      await main.query('commit');
      return version;
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      main.release(failed);
      other?.release(failed);
    }
  }
  return h.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const version = await authzVersion(tx);
    reader.estimates({ persons: 0, organizations: 0, mandates: 0, guardianships: 0, courtGuardianships: 0, organizationRoles: 0 });
    for (const t of tables) {
      const { rows } = await sql.raw<Record<string, unknown>>(SNAPSHOT_TABLES[t]).execute(tx);
      for (const r of rows) reader.line(t, copyLine(Object.values(r).map(asText)));
    }
    return version;
  });
}

/** A row as a COPY text line (for PGlite, which has no COPY to the client). */
export function copyLine(values: readonly (string | number | boolean | null)[]): Buffer {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += '\t';
    if (v === null || v === undefined) s += '\\N';
    else if (typeof v === 'boolean') s += v ? 't' : 'f';
    else s += String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  }
  return Buffer.from(`${s}\n`, 'utf8');
}

/** A value as COPY's text output shows it (PGlite hands back dates as text, booleans as booleans, numbers as numbers). */
function asText(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** `COPY … TO STDOUT` on a pg client without an extra dependency: each row arrives as one CopyData message. */
function copyOut(client: pg.PoolClient, text: string, onRow: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: Error | null = null;
    const submittable = {
      submit(connection: { query(text: string): void }) { connection.query(text); },
      handleCopyData(msg: { chunk: Buffer }) {
        if (failed) return;
        try { onRow(msg.chunk); } catch (e) { failed = e as Error; }
      },
      handleError(e: Error) { failed ??= e; },
      handleReadyForQuery() { if (failed) reject(failed); else resolve(); },
      handleCopyInResponse(connection: { sendCopyFail(m: string): void }) { connection.sendCopyFail('not expected'); },
      handleCommandComplete() {}, handleRowDescription() {}, handleDataRow() {}, handleEmptyQuery() {}, handlePortalSuspended() {},
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}

/** This process has applied `version`; its lease runs `leaseMs` from the transaction's start. */
export async function renewLease(db: Db, nodeId: string, version: number, leaseMs: number): Promise<void> {
  await sql`insert into authz_nodes (node_id, acked_version, lease_until)
            values (${nodeId}, ${version}, now() + ${`${leaseMs} milliseconds`}::interval)
            on conflict (node_id) do update set acked_version = excluded.acked_version, lease_until = excluded.lease_until`.execute(db);
}

/** How many other processes with a live lease have not yet acknowledged `version`. */
export async function processesBehind(db: Db, nodeId: string, version: number): Promise<number> {
  const r = await sql<{ behind: number }>`select count(*)::int as behind from authz_nodes
    where node_id <> ${nodeId} and lease_until > now() and acked_version < ${version}`.execute(db);
  return r.rows[0]?.behind ?? 0;
}

export async function dropNode(db: Db, nodeId: string): Promise<void> {
  await db.deleteFrom('authz_nodes').where('node_id', '=', nodeId).execute();
}
