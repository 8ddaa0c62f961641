import type { Db } from '../db/database.js';
import type { SessionSubject } from '../db/schema.js';

export async function findStaff(db: Db, key: string) {
  return db.selectFrom('staff').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Sessions by the SHA-256 of their id (`idHash`); the id itself is only ever in the browser's cookie. */
export async function insertSession(db: Db, s: { idHash: string; subject: SessionSubject; now: Date; expiresAt: Date; logoutHint?: string | null }) {
  await db.insertInto('sessions').values({
    id: s.idHash, subject: JSON.stringify(s.subject), created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt, logout_hint: s.logoutHint ?? null,
  }).execute();
}

export async function deleteSession(db: Db, idHash: string) {
  return db.deleteFrom('sessions').where('id', '=', idHash).returning(['subject_key', 'logout_hint']).executeTakeFirst();
}

/** Ends every session of the subject `subjectKey` ("sign out everywhere"); how many there were. */
export async function deleteSessionsOf(db: Db, subjectKey: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('subject_key', '=', subjectKey).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Removes sessions past their absolute end or idle past `idleSince`. */
export async function deleteEndedSessions(db: Db, now: Date, idleSince: Date) {
  await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)])).execute();
}

export async function findSession(db: Db, idHash: string) {
  return db.selectFrom('sessions').select(['subject', 'expires_at', 'last_seen_at', 'subject_key', 'logout_hint']).where('id', '=', idHash).executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', idHash).execute();
}

/** A staff member who logged in over their organisation's provider: their row follows the provider's claims at every login. */
export async function upsertStaff(db: Db, s: { key: string; name: string; municipality: string | null; roles: string[] }) {
  await db.insertInto('staff').values(s).onConflict((oc) => oc.column('key').doUpdateSet({ name: s.name, municipality: s.municipality, roles: s.roles })).execute();
}

export async function apiClientRows(db: Db) {
  return db.selectFrom('api_clients').selectAll().execute();
}

export async function upsertApiClient(db: Db, c: { id: string; secret_hash: string; municipality: string; previous_secret_hash?: string | null; previous_valid_until?: Date | null }) {
  const row = { ...c, previous_secret_hash: c.previous_secret_hash ?? null, previous_valid_until: c.previous_valid_until ?? null };
  await db.insertInto('api_clients').values(row).onConflict((oc) => oc.column('id').doUpdateSet({
    secret_hash: row.secret_hash, municipality: row.municipality, previous_secret_hash: row.previous_secret_hash, previous_valid_until: row.previous_valid_until,
  })).execute();
}

/** The fixture's people and staff, for the demo login page. */
export async function demoPersonas(db: Db) {
  const persons = await db.selectFrom('persons').select(['id', 'key', 'first_name', 'last_name', 'birth_date', 'municipality']).where('key', 'is not', null).orderBy('last_name').orderBy('first_name').execute();
  const staff = await db.selectFrom('staff').selectAll().orderBy('key').execute();
  return { persons, staff };
}
