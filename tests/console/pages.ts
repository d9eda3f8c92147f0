// What the console's browser suites share: a Chromium context in Vietnam's zone that collects page errors,
// axe-core through the DevTools protocol (the console's CSP refuses an inline script tag), signing in,
// and screenshots kept when YKIEN_SCREENSHOTS names a folder. (console.browser.test.ts has its own copies
// from before this file; they can move here.)
import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export const PASSWORD = 'Hoa-sen-no-giua-dam-2026';

export async function openPage(browser: Browser, viewport: { width: number; height: number }, phone = false) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // The first GET /v1/session of a signed-out browser answers 401 by design.
    if (m.type() === 'error' && !/401/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
    const r = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.flatMap((v) => v.targets.map((t) => `${v.id} (${v.help}): ${t}`));
}

export async function signIn(page: Page, origin: string, username: string, hash = '') {
  await page.goto(`${origin}/admin/${hash}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** Elements reaching past the right edge of the screen, but for what a scrolling region holds on purpose. */
export const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  );

export async function shot(page: Page, name: string) {
  const dir = process.env.YKIEN_SCREENSHOTS;
  const png = await page.screenshot({ fullPage: true });
  expect(png.length).toBeGreaterThan(2_000);
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.png`), png);
  }
}
