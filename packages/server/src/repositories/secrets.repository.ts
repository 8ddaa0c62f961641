import type { Db } from '../db/database.js';

/** A server-wide secret created by a migration (e.g. `csrf`); the same for every process on the database. */
export async function serverSecret(db: Db, name: string): Promise<string> {
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (!row) throw new Error(`server secret ${name} is missing (migrations not run?)`);
  return row.value;
}
