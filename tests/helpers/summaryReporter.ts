import path from 'node:path';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, "N passed, N failed[, N skipped][ (M files failed: …)]", which any
 * CI can read whatever runner printed above it. A file that fails without a failed test (it did not
 * load, or a beforeAll/afterAll hook threw: its tests then count as skipped) adds 1 to "failed", so the
 * line never says "0 failed" for a run that failed. Errors outside any test count too.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const failedFiles: string[] = [];
    for (const m of testModules) {
      let failedTests = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') failedTests += 1;
        else counts.skipped += 1;
      }
      const fileFailed = m.state() === 'failed' || failedTests > 0;
      if (fileFailed) failedFiles.push(path.relative(process.cwd(), m.moduleId));
      counts.failed += fileFailed ? Math.max(failedTests, 1) : 0;
    }
    counts.failed += unhandledErrors.length;
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    const files = failedFiles.length ? ` (${failedFiles.length} ${failedFiles.length === 1 ? 'file' : 'files'} failed: ${failedFiles.join(', ')})` : '';
    const unhandled = unhandledErrors.length ? ` (${unhandledErrors.length} unhandled ${unhandledErrors.length === 1 ? 'error' : 'errors'})` : '';
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${skipped}${files}${unhandled}\n`);
  }
}
