import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';

/** Ends the run with the plain "N passed, N failed, N skipped" line that CI reads. */
class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}

/**
 * The server suites that run a second time with the server on PostgreSQL (a fresh database per
 * server on a throwaway PostgreSQL, see test/support/server.ts): the API, accounts and scope,
 * approval, the studio, targets, the streamed exports and the hostile-input fuzzing, where dialects differ the most.
 */
const ON_POSTGRES = ['server', 'access-matrix', 'approval', 'studio', 'studio-rename', 'targets', 'export', 'fuzz-http'].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new CountReporter()],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: ON_POSTGRES, env: { LEMBAR_TEST_DIALECT: 'postgres' } } },
    ],
  },
});
