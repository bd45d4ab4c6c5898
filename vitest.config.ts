// Two projects: `unit` (pure logic on recorded real objects, the CLI and the bundle; `npm test`) and
// `e2e` (the real cluster; `npm run test:e2e`). Time limits make a hang a failure with its output,
// never a CI timeout. PODLIFE_TEST_REPORT=FILE also writes vitest's JSON report there (.ci/run
// sums the counts of both runs into one line).
import { defineConfig } from 'vitest/config';

const report = process.env['PODLIFE_TEST_REPORT'];

export default defineConfig({
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Files share one small cluster: at most three at once, and at most four concurrent tests
          // inside a file (describe.concurrent).
          maxWorkers: 3,
          maxConcurrency: 4,
          teardownTimeout: 60_000,
        },
      },
    ],
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
