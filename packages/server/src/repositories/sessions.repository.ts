import type { Db } from '../db/database.js';
import type { SessionSubject } from '../db/schema.js';

export async function findStaff(db: Db, key: string) {
  return db.selectFrom('staff').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertSession(db: Db, s: { id: string; subject: SessionSubject; expiresAt: Date }) {
  await db.insertInto('sessions').values({ id: s.id, subject: JSON.stringify(s.subject), expires_at: s.expiresAt }).execute();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function findSession(db: Db, id: string) {
  return db.selectFrom('sessions').select(['subject', 'expires_at']).where('id', '=', id).executeTakeFirst();
}

export async function apiClientRows(db: Db) {
  return db.selectFrom('api_clients').selectAll().execute();
}

export async function upsertApiClient(db: Db, c: { id: string; secret_hash: string; municipality: string }) {
  await db.insertInto('api_clients').values(c).onConflict((oc) => oc.column('id').doUpdateSet({ secret_hash: c.secret_hash, municipality: c.municipality })).execute();
}

/** The fixture's people and staff, for the demo login page. */
export async function demoPersonas(db: Db) {
  const persons = await db.selectFrom('persons').select(['id', 'key', 'first_name', 'last_name', 'birth_date', 'municipality']).where('key', 'is not', null).orderBy('last_name').orderBy('first_name').execute();
  const staff = await db.selectFrom('staff').selectAll().orderBy('key').execute();
  return { persons, staff };
}
