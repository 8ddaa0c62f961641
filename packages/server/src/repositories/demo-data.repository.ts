import type { Db } from '../db/database.js';

/** Which of these API clients, persons (by identity code) and staff (by key) the database holds. */
export async function presentRows(db: Db, ids: { apiClients: string[]; persons: string[]; staff: string[] }) {
  const none = <T>(): Promise<T[]> => Promise.resolve([]);
  const [apiClients, persons, staff] = await Promise.all([
    ids.apiClients.length ? db.selectFrom('api_clients').select('id').where('id', 'in', ids.apiClients).orderBy('id').execute() : none<{ id: string }>(),
    ids.persons.length ? db.selectFrom('persons').select(['id', 'key']).where('id', 'in', ids.persons).orderBy('id').execute() : none<{ id: string; key: string | null }>(),
    ids.staff.length ? db.selectFrom('staff').select('key').where('key', 'in', ids.staff).orderBy('key').execute() : none<{ key: string }>(),
  ]);
  return { apiClients: apiClients.map((r) => r.id), persons, staff: staff.map((r) => r.key) };
}
