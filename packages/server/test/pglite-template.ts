/**
 * The embedded databases tests start from: a migrated, empty data directory, or one with the demo data
 * seeded. `global-setup.ts` writes both once per run and names them in the environment; a test process
 * started some other way (a single file under another runner) builds them itself, once.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../src/db/database.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedFixture } from '../src/registers/seed.js';

export const PGLITE_SCHEMA = 't_embedded';
export const PGLITE_TEMPLATE_ENV = { migrated: 'PUOLESTA_TEST_PGLITE_MIGRATED', demo: 'PUOLESTA_TEST_PGLITE_DEMO' } as const;
export type TemplateKind = keyof typeof PGLITE_TEMPLATE_ENV;

let inProcess: Promise<Record<TemplateKind, Blob>> | undefined;
const read = new Map<TemplateKind, Promise<Blob>>();

export function pgliteTemplate(kind: TemplateKind): Promise<Blob> {
  let t = read.get(kind);
  if (!t) {
    const file = process.env[PGLITE_TEMPLATE_ENV[kind]];
    t = file ? Promise.resolve(new Blob([readFileSync(file)])) : (inProcess ??= buildTemplates()).then((all) => all[kind]);
    read.set(kind, t);
  }
  return t;
}

/** Both templates from one database: migrated, then with the demo data seeded (what a demo app seeds on an empty one). */
export async function buildTemplates(): Promise<Record<TemplateKind, Blob>> {
  const h = await openDatabase({ dataDir: 'memory://', schema: PGLITE_SCHEMA });
  try {
    const migrated = await h.dumpDataDir!();
    await seedFixture(h.db, demoFixture());
    return { migrated, demo: await h.dumpDataDir!() };
  } finally {
    await h.close();
  }
}
