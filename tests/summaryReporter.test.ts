import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');

/** Runs vitest in a child process, the way `npm test` would, and returns its exit code and last line. */
function vitest(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [VITEST, 'run', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = `${res.stdout}\n${res.stderr}`.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return { code: res.status, out: `${res.stdout}\n${res.stderr}`, last: res.stdout.trim().split('\n').at(-1), lines };
}

describe('the summary line of a test run', () => {
  it('counts a file that fails in beforeAll as failed (it used to say "0 failed" for a failing run)', () => {
    const run = vitest(['--config', 'tests/fixtures/reporter/vitest.config.ts']);
    expect(run.code).toBe(1);
    expect(run.last).toBe(
      '3 passed, 2 failed, 3 skipped (2 files failed: tests/fixtures/reporter/before-all.fixture.ts, tests/fixtures/reporter/one-fails.fixture.ts)',
    );
  });

  it('a machine without Chromium gets one line saying how to install it, and a failed count', () => {
    const run = vitest(['tests/widget/origins.browser.test.ts'], { CHROMIUM_PATH: '/nowhere/chromium' });
    expect(run.code).toBe(1);
    const message = 'Chromium not found at /nowhere/chromium: install it with apt-get install -y chromium (or set CHROMIUM_PATH)';
    expect(run.lines.filter((l) => l.includes(message))).toEqual([`BrowserMissing: ${message}`]);
    // No stack from inside playwright or the helper.
    expect(run.out).not.toMatch(/^\s+at .*(playwright|browser\.ts)/m);
    expect(run.last).toBe('0 passed, 1 failed, 1 skipped (1 file failed: tests/widget/origins.browser.test.ts)');
  });
});
