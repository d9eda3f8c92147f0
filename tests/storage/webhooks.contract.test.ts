import { expect, it } from 'vitest';
import { auditOf, forEachBackend, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
const HOOK = { url: 'https://hooks.example.vn/ykien', secret: 'bi-mat-cua-xa-a-0123456789' };

forEachBackend('webhooks store', (open) => {
  it('sets, replaces and removes a site’s webhook, each with its audit entry in the same write', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await seedSite(s, 'xa-b');
    expect(await s.webhooks.get('xa-a')).toBeUndefined();
    await s.webhooks.set('xa-a', HOOK, T0, auditOf('webhook.set', T0));
    expect(await s.webhooks.get('xa-a')).toEqual({ siteId: 'xa-a', ...HOOK, createdAt: T0, updatedAt: T0 });
    expect(await s.webhooks.get('xa-b')).toBeUndefined();

    const next = { url: 'https://hooks2.example.vn/ykien?token=x', secret: 'mot-bi-mat-khac-0123456789' };
    await s.webhooks.set('xa-a', next, T0 + 5000, auditOf('webhook.set', T0 + 5000));
    expect(await s.webhooks.get('xa-a')).toEqual({ siteId: 'xa-a', ...next, createdAt: T0, updatedAt: T0 + 5000 });

    expect(await s.webhooks.remove('xa-a', auditOf('webhook.delete', T0 + 6000))).toBe(true);
    expect(await s.webhooks.get('xa-a')).toBeUndefined();
    // Nothing to remove: no entry either.
    expect(await s.webhooks.remove('xa-a', auditOf('webhook.delete', T0 + 7000))).toBe(false);
    expect((await s.audit.list({ sites: null, limit: 10 })).map((a) => [a.action, a.at])).toEqual([
      ['webhook.delete', T0 + 6000],
      ['webhook.set', T0 + 5000],
      ['webhook.set', T0],
    ]);
  });
});
