import { expect, it } from 'vitest';
import { forEachBackend, openAnother } from './backends.js';

forEachBackend('shared hit counter (rate limits)', (open) => {
  it('one quota whichever instance answers: exact near the limit, shared across instances', async () => {
    const a = await open();
    if (a.backend === 'sqlite') {
      // One process per SQLite file: express-rate-limit counts in memory, no shared counter is offered.
      expect(a.hits).toBeUndefined();
      return;
    }
    const b = await openAnother(a);
    const key = 'write:203.0.113.7';
    const seen: number[] = [];
    // Far from the limit: counted where they arrive, shared at the next sync.
    for (let i = 0; i < 3; i++) seen.push((await a.hits!.hit(key, 60_000, 20)).hits);
    // The first hit of this client on b asks the database: it knows a's first hit at least.
    const first = await b.hits!.hit(key, 60_000, 20);
    expect(first.hits).toBeGreaterThanOrEqual(2);
    // Alternating instances: near the limit every hit is added at once, so the first hit over the limit is
    // (at most one held hit late) the 21st sent, on whichever instance it lands.
    let sent = 4;
    let counted = 0;
    while (counted <= 20 && sent < 40) {
      counted = (await (sent % 2 ? a : b).hits!.hit(key, 60_000, 20)).hits;
      sent++;
    }
    expect(counted).toBe(21);
    expect(sent).toBeGreaterThanOrEqual(21);
    expect(sent).toBeLessThanOrEqual(22);
    // Another client, another count; a reset clears it.
    expect((await b.hits!.hit('write:198.51.100.1', 60_000, 20)).hits).toBe(1);
    await a.hits!.reset(key);
    expect((await b.hits!.hit(key, 60_000, 20)).hits).toBe(1);
  });

  it('a small limit is exact across instances: a reader alternating between them gets the limit, not one more per instance', async () => {
    const a = await open();
    if (a.backend === 'sqlite') return expect(a.hits).toBeUndefined();
    const b = await openAnother(a);
    const key = 'write:203.0.113.8';
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) counts.push((await (i % 2 ? b : a).hits!.hit(key, 60_000, 3)).hits);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
