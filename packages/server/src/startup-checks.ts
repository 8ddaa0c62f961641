/**
 * Production is production (decision 0014): a database that was once started in demo mode keeps the
 * demo fixture's API clients (with published secrets), persons and staff. A production start refuses
 * such a database, naming what it found and what to do, rather than serving them.
 */
import { isUnavailable, type DatabaseHandle, type Db } from './db/database.js';
import { pendingMigrations } from './db/migrate.js';
import type { Logger } from './logger.js';
import { demoFixture, type Fixture } from './registers/fixture.js';
import { presentRows } from './repositories/demo-data.repository.js';

export class DemoDataInProduction extends Error {
  constructor(readonly found: { apiClients: string[]; persons: string[]; staff: string[] }) {
    const list = (names: string[]) => `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
    const parts = [
      found.apiClients.length ? `${found.apiClients.length} demo API client(s) (${list(found.apiClients)}) whose secrets are published in fixtures/demo.json` : '',
      found.persons.length ? `${found.persons.length} demo person(s) (${list(found.persons)})` : '',
      found.staff.length ? `${found.staff.length} demo staff member(s) (${list(found.staff)})` : '',
    ].filter(Boolean);
    super(`Refusing to start in production mode (PUOLESTA_MODE=production): the database holds demo data from fixtures/demo.json, `
      + `seeded when it was started in demo mode: ${parts.join('; ')}. `
      + 'Point DATABASE_URL (and PUOLESTA_DB_SCHEMA), or PUOLESTA_DATA_DIR for the embedded database, at a database that has never been '
      + 'started in demo mode, or start in demo mode (PUOLESTA_MODE=demo) if this is a demo.');
    this.name = 'DemoDataInProduction';
  }
}

/** The demo fixture's API clients, persons (named by their fixture key, never by identity code) and staff that `db` holds. */
export async function demoDataIn(db: Db, fixture: Fixture = demoFixture()) {
  const found = await presentRows(db, {
    apiClients: fixture.apiClients.map((c) => c.id),
    persons: fixture.persons.map((p) => p.id),
    staff: fixture.staff.map((s) => s.key),
  });
  const keyOf = new Map(fixture.persons.map((p) => [p.id, p.key]));
  return { apiClients: found.apiClients, persons: found.persons.map((p) => p.key ?? keyOf.get(p.id) ?? 'a fixture person'), staff: found.staff };
}

/** Throws `DemoDataInProduction` when the database holds any of the demo fixture's clients, persons or staff. */
export async function refuseDemoData(db: Db, fixture?: Fixture): Promise<void> {
  const found = await demoDataIn(db, fixture);
  if (found.apiClients.length || found.persons.length || found.staff.length) throw new DemoDataInProduction(found);
}

/**
 * A production start's check, shared by the server and the worker: when the database holds demo data, logs why
 * (fatal), closes the database and exits with 1 before anything serves a request or delivers a message. Other
 * errors are thrown. Does nothing outside production mode.
 */
export async function exitOnDemoDataInProduction(mode: string, h: Pick<DatabaseHandle, 'db' | 'close'>, log: Pick<Logger, 'fatal'>): Promise<void> {
  if (mode !== 'production') return;
  try {
    await refuseDemoData(h.db);
  } catch (e) {
    if (!(e instanceof DemoDataInProduction)) throw e;
    log.fatal(e.message);
    await h.close();
    process.exit(1);
  }
}

/**
 * `PUOLESTA_MIGRATE=off` (a migration Job applies them): wait until every migration this build knows
 * is applied, telling the log once what is missing; gives up after `maxWaitMs` (the process exits and
 * is restarted).
 */
export async function waitForMigrations(h: DatabaseHandle, log: Logger, maxWaitMs = 600_000): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let told = false;
  for (;;) {
    let pending: string[] | null = null;
    try {
      pending = await pendingMigrations(h.db, h.schema);
    } catch (e) {
      if (!isUnavailable(e)) throw e;
    }
    if (pending?.length === 0) return;
    if (!told) log.info({ pending }, 'PUOLESTA_MIGRATE=off: waiting for the migrations to be applied (cli.ts migrate)');
    told = true;
    if (Date.now() > deadline) throw new Error(`migrations still not applied after ${Math.round(maxWaitMs / 1000)} s: ${pending?.join(', ') ?? 'the database is not reachable'}`);
    await new Promise((res) => setTimeout(res, 2000));
  }
}
