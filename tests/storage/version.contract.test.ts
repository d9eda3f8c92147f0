import { expect, it } from 'vitest';
import { forEachBackend, openAnother, seedSite } from './backends.js';

forEachBackend('change version', (open) => {
  it('moves after every write, seen at once by another instance on the same database, and stands still without writes', async () => {
    const a = await open();
    const b = await openAnother(a);
    const v0 = await b.version();
    expect(await b.version()).toBe(v0);
    await seedSite(a, 'xa-a');
    const v1 = await b.version();
    expect(v1).not.toBe(v0);
    const before = await a.version();
    await seedSite(b, 'xa-b');
    expect(await a.version()).not.toBe(before);
    const still = await a.version();
    expect(await a.version()).toBe(still);
  });
});
