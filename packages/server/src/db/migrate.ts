import { Migrator, type DatabaseIntrospector, type Kysely, type Migration, type MigrationProvider, type TableMetadata } from 'kysely';
import { appliedMigrationNames, tableNamesInSchema } from '../repositories/health.repository.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-catalogue.js';
import * as m0003 from './migrations/0003-ptv.js';
import * as m0004 from './migrations/0004-audit-columns.js';
import * as m0005 from './migrations/0005-register-versions.js';
import * as m0006 from './migrations/0006-session-csrf.js';
import * as m0007 from './migrations/0007-domain-events.js';
import * as m0008 from './migrations/0008-notifications.js';
import * as m0009 from './migrations/0009-errands.js';
import * as m0010 from './migrations/0010-errand-attachment-order.js';
import * as m0011log from './migrations/0011-usage-log.js';
import * as m0012sessions from './migrations/0012-sessions.js';
import * as m0013rotation from './migrations/0013-api-client-rotation.js';
import * as m0014retention from './migrations/0014-audit-personal-part.js';
import * as m0015rateLimits from './migrations/0015-rate-limit-windows.js';

/** Versioned migrations, in order. Add a file and a line; never edit one that has shipped. */
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-catalogue': m0002,
  '0003-ptv': m0003,
  '0004-audit-columns': m0004,
  '0005-register-versions': m0005,
  '0006-session-csrf': m0006,
  '0007-domain-events': m0007,
  '0008-notifications': m0008,
  '0009-errands': m0009,
  '0010-errand-attachment-order': m0010,
  '0011-usage-log': m0011log,
  '0012-sessions': m0012sessions,
  '0013-api-client-rotation': m0013rotation,
  '0014-audit-personal-part': m0014retention,
  '0015-rate-limit-windows': m0015rateLimits,
};

/** The migrations this build knows, by name (readiness compares them with the applied ones). */
export const knownMigrations: readonly string[] = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Migrations written side by side may land in another order than their numbers: each is independent
 * of the ones numbered after it, so one missing from a database runs even if later ones already have.
 * `schema` names where the migration bookkeeping lives (Kysely would otherwise find another schema's). */
export async function migrateToLatest(db: Kysely<any>, schema = 'public'): Promise<void> {
  const { error, results } = await new Migrator({ db: lookingOnlyAt(db, schema), provider, migrationTableSchema: schema, allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/**
 * The database as the migrator sees it, its table introspection limited to `schema`. Kysely's migrator asks
 * whether its bookkeeping tables exist by introspecting every table and column of the whole database
 * (`pg_get_serial_sequence` for each column): a table or column dropped meanwhile in another schema fails
 * that query ("column … of relation … does not exist", seen in CI with test schemas side by side on one
 * server), and a database with many schemas makes it slow. The migrator only needs the names in its own schema.
 */
function lookingOnlyAt(db: Kysely<any>, schema: string): Kysely<any> {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    getMetadata: async (o) => ({ tables: await introspection.getTables(o) }),
    getTables: async (): Promise<TableMetadata[]> =>
      (await tableNamesInSchema(db, schema)).map((name) => ({ name, schema, isView: false, columns: [] })),
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Migrations this build knows that `schema` has not applied (readiness: a migration Job still to run). */
export async function pendingMigrations(db: Kysely<any>, schema = 'public'): Promise<string[]> {
  const applied = new Set(await appliedMigrationNames(db, schema));
  return knownMigrations.filter((m) => !applied.has(m));
}
