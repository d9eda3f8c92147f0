import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLL_ID } from '../../src/demo/seed.js';
import { newVoter } from '../helpers/app.js';
import { articlePage, axeViolations, launch, newPage, startApp, startFixture } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const otherReaderVotes = async (app: Awaited<ReturnType<typeof startApp>>, option = 0) => {
  const poll = (await app.t.http.get(`/v1/polls/${DEMO_POLL_ID}`)).body as { options: { id: string }[] };
  expect((await app.t.http.post(`/v1/polls/${DEMO_POLL_ID}/votes`).send({ voterId: newVoter(), optionIds: [poll.options[option]!.id] })).status).toBe(201);
};

describe('live results in the widget', () => {
  it('updates the results a reader is looking at when others vote, over one stream, without announcing each change', async () => {
    const app = await startApp({ LIVE_TICK_MS: 100 });
    // Two polls on the page (the same one twice, as a sidebar and an article might): still one stream.
    const html = articlePage(app.origin).replace('<div id="comments"', `<div id="poll2" data-ykien-poll="${DEMO_POLL_ID}"></div><div id="comments"`);
    const fixture = await startFixture({ '/bai-viet': { body: html } });
    await app.t.services.sites.update('tienngoc', { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    const streams: string[] = [];
    page.on('request', (r) => r.url().includes('/live?') && streams.push(r.url()));
    try {
      await page.goto(`${fixture.origin}/bai-viet`);
      await page.locator('#poll').getByLabel('Bình thường').check();
      await page.locator('#poll').getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => page.locator('#poll .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      await page.locator('#poll2').getByRole('button', { name: 'Kết quả', exact: true }).click();
      await expect.poll(() => page.locator('#poll2 .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');

      await otherReaderVotes(app, 1);
      await otherReaderVotes(app, 1);
      await expect.poll(() => page.locator('#poll .tot').textContent(), { timeout: 5_000 }).toBe('Tổng cộng: 3 Phiếu');
      await expect.poll(() => page.locator('#poll2 .tot').textContent(), { timeout: 5_000 }).toBe('Tổng cộng: 3 Phiếu');
      expect(await page.locator('#poll .res').getAttribute('aria-live')).toBe('off');
      expect(await page.locator('#poll .vc').allTextContents()).toEqual(['1 Phiếu', '2 Phiếu', '0 Phiếu']);
      expect(new Set(streams.map((u) => new URL(u).pathname))).toEqual(new Set(['/v1/sites/tienngoc/live']));
      expect(streams).toHaveLength(1);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fixture.close();
      app.t.services.live.close();
      await app.close();
    }
  });

  it('keeps working when the stream is refused (the page falls back to polling)', async () => {
    const app = await startApp({ LIVE_MAX_PER_CLIENT: 0 });
    const fixture = await startFixture({ '/bai-viet': { body: articlePage(app.origin) } });
    await app.t.services.sites.update('tienngoc', { origins: [app.origin, fixture.origin] }, 'test');
    const { page, errors, context } = await newPage(browser);
    try {
      await page.goto(`${fixture.origin}/bai-viet`);
      await page.getByLabel('Bình thường').check();
      await page.getByRole('button', { name: 'Bình chọn' }).click();
      await expect.poll(() => page.locator('#poll .tot').textContent()).toBe('Tổng cộng: 1 Phiếu');
      await expect.poll(() => errors.some((e) => /^429 .*\/live\?/.test(e))).toBe(true);
      expect(errors.filter((e) => !/\/live\?|status of 429/.test(e))).toEqual([]);
      expect(await page.locator('#poll .msg.err').count()).toBe(0);
    } finally {
      await context.close();
      await fixture.close();
      await app.close();
    }
  });
});
