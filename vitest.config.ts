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
    // Each file in a process of its own (vitest's default). `isolate: false` saved ~4 min here, but the UI's API
    // client keeps module state (a session's middleware) that another file's import changed (decision 0023).
  },
});
