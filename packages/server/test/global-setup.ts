/**
 * Once per `vitest run` on the embedded database: a migrated, empty PGlite data directory and one
 * with the demo data seeded, each as a tarball in a temporary folder. Every test process (a fork per
 * file) opens copies of them instead of running initdb, the migrations and the seed itself: those
 * took 6–7 s per file and 0.7 s per app on a 2-core machine (decision 0023, CI time).
 * On PostgreSQL (`DATABASE_URL`) each test makes a schema of its own and nothing is shared.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTemplates, PGLITE_TEMPLATE_ENV, type TemplateKind } from './pglite-template.js';

export default async function setup() {
  // Each test project (server, web) calls this; the first one's templates serve both.
  if (process.env.DATABASE_URL || process.env[PGLITE_TEMPLATE_ENV.migrated]) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'puolesta-test-pglite-'));
  const templates = await buildTemplates();
  for (const kind of Object.keys(PGLITE_TEMPLATE_ENV) as TemplateKind[]) {
    const file = join(dir, `${kind}.tar`);
    writeFileSync(file, Buffer.from(await templates[kind].arrayBuffer()));
    process.env[PGLITE_TEMPLATE_ENV[kind]] = file;
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
