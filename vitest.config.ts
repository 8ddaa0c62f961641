import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    pool: 'forks',
    // The persona journeys drive real Chromium through a dozen pages each in three languages; with two files at
    // a time on two cores one takes 20–40 s. A hang still fails, after 90 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time.
    maxWorkers: 2,
  },
});
