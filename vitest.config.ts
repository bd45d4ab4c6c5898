// Projects: `unit` (pure logic on recorded real objects, the CLI and the bundle; `npm test`), `browser`
// (--export's pictures in headless Chromium; `npm run test:browser`), `e2e`
// (the real cluster; `npm run test:e2e`), `faults` (control planes of their own beside the real
// cluster, killed and restarted, and other faults; `npm run test:faults`), `release` (npm run release
// from a clean clone, the binaries and krew; `npm run test:release`), and `bench` for `vitest bench`
// (the model's benchmarks). Time limits make a hang a failure with its output, never a CI timeout.
// PODLIFE_TEST_REPORT=FILE also writes vitest's JSON report there (.ci/run sums the counts of all
// runs into one line).
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
          exclude: ['test/e2e/**', 'test/release/**', 'test/browser/**', 'node_modules/**'],
          benchmark: { include: [] },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/faults*.test.ts', 'test/e2e/serial/**', 'node_modules/**'],
          benchmark: { include: [] },
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Files share one small cluster: at most three at once, and at most four concurrent tests
          // inside a file (describe.concurrent).
          maxWorkers: 3,
          maxConcurrency: 4,
          teardownTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/e2e/faults*.test.ts', 'test/e2e/serial/*.test.ts'],
          benchmark: { include: [] },
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // Processes: the control planes these files start get a parent-death signal, which binds
          // them to the process (not a worker thread) that started them.
          pool: 'forks',
          // Each file starts apiservers of its own on a 2-core machine: two files at a time.
          maxWorkers: 2,
          teardownTimeout: 60_000,
        },
      },
      {
        test: {
          // --export's pictures rendered by headless Chromium (Debian's chromium; .ci/run installs it).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          benchmark: { include: [] },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'release',
          include: ['test/release/**/*.test.ts'],
          benchmark: { include: [] },
          // Building five binaries and their archives is minutes of work on 2 cores.
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        test: {
          name: 'bench',
          include: [],
          benchmark: { include: ['bench/**/*.bench.ts'] },
          // The code under measurement runs as plain Node modules (tsx strips the types), as in the
          // CLI, not through vitest's module runner, whose export getters would be measured too.
          experimental: { viteModuleRunner: false },
          execArgv: ['--import', 'tsx'],
          testTimeout: 300_000,
          // One benchmark file at a time: they measure, so they must not share the cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
