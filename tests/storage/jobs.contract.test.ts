import { expect, it } from 'vitest';
import { forEachBackend, openAnother } from './backends.js';

forEachBackend('background jobs', (open) => {
  it('a job runs once per period however many instances tick', async () => {
    const a = await open();
    const b = a.backend === 'sqlite' ? a : await openAnother(a);
    let runs = 0;
    const job = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return 'ran';
    };
    // Two instances tick at the same moment: one works.
    const [x, y] = await Promise.all([a.runJob('prune', 60_000, job), b.runJob('prune', 60_000, job)]);
    if (a.backend === 'sqlite') {
      // One process per SQLite file: the caller's own timer is the only tick.
      expect([x, y]).toEqual(['ran', 'ran']);
      return;
    }
    expect([x, y].sort()).toEqual(['ran', undefined].sort());
    expect(runs).toBe(1);
    // Ticks later in the same period do nothing; another job is its own.
    expect(await b.runJob('prune', 60_000, job)).toBeUndefined();
    expect(await a.runJob('retention', 60_000, job)).toBe('ran');
    // A period that is over: the next tick works again.
    await new Promise((r) => setTimeout(r, 30));
    expect(await b.runJob('prune', 20, job)).toBe('ran');
    expect(runs).toBe(3);
  });
});
