/**
 * The authorization index's reads and its lease bookkeeping (decision 0002): the snapshot a process
 * loads at start, in keyset pages of only the columns a decision needs, and the rows through which
 * processes acknowledge change versions.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** A mandate as the index loads it: dates as day numbers, issues as the array's text. */
export interface SlimMandateRow {
  id: string;
  principal_type: 'person' | 'organization';
  principal_id: string;
  agent_type: 'person' | 'organization';
  agent_id: string;
  issues: string;
  /** Days since 2000-01-01. */
  valid_from: number;
  valid_until: number;
  status: string;
  one_off: boolean;
  target_type: string | null;
  target_id: string | null;
  municipality: string | null;
}

/** The authorization version; `share` holds the row so that no writer commits meanwhile. */
export async function authzVersion(db: Db, share = false): Promise<number> {
  let q = db.selectFrom('authz_state').select('version').where('id', '=', 1);
  if (share) q = q.forShare();
  return Number((await q.executeTakeFirstOrThrow()).version);
}

export async function personNamesPage(db: Db, after: string, limit: number) {
  const { rows } = await sql<{ id: string; name: string }>`select id, first_name || ' ' || last_name as name from persons
    where id > ${after} order by id limit ${limit}`.execute(db);
  return rows;
}

export async function organizationNames(db: Db) {
  return db.selectFrom('organizations').select(['id', 'name']).execute();
}

export async function slimMandatesPage(db: Db, after: string, limit: number): Promise<SlimMandateRow[]> {
  // Dates as day numbers: an int is cheaper to read than a date, and maps to a shared string.
  const { rows } = await sql<SlimMandateRow>`select id, principal_type, principal_id, agent_type, agent_id, issues::text as issues,
      (valid_from - date '2000-01-01') as valid_from, (valid_until - date '2000-01-01') as valid_until,
      status, one_off, target_type, target_id, municipality
    from mandates where id > ${after} order by id limit ${limit}`.execute(db);
  return rows;
}

export async function allGuardianships(db: Db) {
  return db.selectFrom('guardianships').select(['guardian_id', 'child_id']).execute();
}

export async function allCourtGuardianships(db: Db) {
  return db.selectFrom('court_guardianships').selectAll().execute();
}

export async function allOrganizationRoles(db: Db) {
  return db.selectFrom('organization_roles').selectAll().execute();
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
