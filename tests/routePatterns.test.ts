import { expect, it } from 'vitest';
import { mountMatcher } from '../src/http/routePatterns.js';

const patterns = ['/v1/sites/:site', '/v1/sites/:site/webhook', '/v1/admin/sites/:site/webhook', '/v1/polls', '/v1/admin'];

it('maps a base URL back to its mount pattern, the same on the first ask and after many made-up ids', () => {
  const fresh = mountMatcher(patterns);
  const reused = mountMatcher(patterns);
  const urls = ['/v1/sites/xa-a', '/v1/sites/xa-a/webhook', '/v1/admin/sites/xa-a/webhook', '/v1/polls', '/v1/nowhere', '/v1/sites/', `/v1/sites/${'x'.repeat(500)}`];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 2_500; i++) expect(reused(`/v1/sites/made-up-${round}-${i}`)).toBe('/v1/sites/:site');
    for (const u of urls) expect(reused(u)).toBe(fresh(u));
  }
  expect(urls.map(fresh)).toEqual(['/v1/sites/:site', '/v1/sites/:site/webhook', '/v1/admin/sites/:site/webhook', '/v1/polls', undefined, undefined, '/v1/sites/:site']);
});
