import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // The embedded database's templates (migrated; demo data seeded), made once per run for every test process.
    globalSetup: ['packages/server/test/global-setup.ts'],
    // The persona journeys drive real Chromium through a dozen pages each in three languages; with two files at
    // a time on two cores one takes 20–40 s. A hang still fails, after 90 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time. More do not help: Chromium's processes keep both cores busy (decision 0023).
    maxWorkers: 2,
    projects: [
      {
        // The server's and the domain's files share a process's loaded modules (`isolate: false`): loading the
        // server's module graph again for each of ~80 files was a third of their time (decision 0023).
        extends: true,
        test: {
          name: 'server',
          include: ['packages/server/test/**/*.test.ts', 'packages/domain/test/**/*.test.ts'],
          isolate: false,
        },
      },
      {
        // The UI's files stay in a process each: the UI's API client keeps module state (a session's
        // middleware) that another file's import would change (decision 0023).
        extends: true,
        test: { name: 'web', include: ['packages/web/test/**/*.test.ts'] },
      },
    ],
  },
});
