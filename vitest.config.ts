import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.cache/**'],
    // Suites start real servers and child processes; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

// vitest loads the default export of its config file; this is the only default export in the repo.
export default config;
