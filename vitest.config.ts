import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets and real peers (python3, swaks) start in every test file; two cores in CI.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON summary lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.smtp-lab/test-results.json' }]],
  },
});
