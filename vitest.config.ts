import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    pool: 'forks',
    // The embedded database's templates (migrated; demo data seeded), made once per run for every test process.
    globalSetup: ['packages/server/test/global-setup.ts'],
    // The persona journeys drive real Chromium through a dozen pages each in three languages; with two files at
    // a time on two cores one takes 20–40 s. A hang still fails, after 90 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time. More do not help: Chromium's processes keep both cores busy (decision 0023).
    maxWorkers: 2,
    // A worker process runs file after file without loading the server's modules again (2–3 s a file on a slow
    // machine). Every test builds its own app and data (fixture builders, fresh databases), so none depends on
    // what another file left in a module.
    isolate: false,
  },
});
