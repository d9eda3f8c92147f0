import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startInstance } from './helpers/instances.js';

/** Shared objects mapped into a process: a native addon appears here once it is loaded, not before. */
const mapped = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8');

it('loads the captcha renderer (resvg and svg-captcha, ~19 MB) with its first captcha, not at start', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ykien-lazy-'));
  const i = await startInstance({ DATABASE_PATH: join(dir, 'ykien.db'), SEED_DEMO: 'true' });
  const pid = i.child.pid!;
  expect(mapped(pid)).not.toMatch(/resvg/);
  const res = await fetch(`${i.url}/v1/sites/tienngoc/captcha`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { image?: string };
  expect(body.image).toMatch(/^data:image\/png;base64,/);
  expect(mapped(pid)).toMatch(/resvg/);
});
