// What the console's browser suites share: a context as staff use it (Vietnamese, Vietnam's clock),
// axe-core through the DevTools protocol (the console's CSP rightly refuses an inline script tag),
// signing in through the form, and screenshots kept when YKIEN_SCREENSHOTS names a folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import axe from 'axe-core';
import { expect } from 'vitest';

export async function openConsole(browser: Browser, viewport: { width: number; height: number }, phone = false) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  // Fail with the locator named, well before the test's own timeout.
  page.setDefaultTimeout(8_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // The first GET /v1/session of a signed-out browser answers 401 by design; refusals a test provokes say 4xx.
    if (m.type() === 'error' && !/40[01349]/.test(m.text())) errors.push(m.text());
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

export async function signInThroughForm(page: Page, origin: string, username: string, password: string, hash = '') {
  await page.goto(`${origin}/admin/${hash}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Elements reaching past the right edge of the screen. */
export const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  );

export async function shot(page: Page, name: string, keep?: string) {
  const png = await page.screenshot({ fullPage: true });
  expect(png.length).toBeGreaterThan(2_000);
  const dir = process.env.YKIEN_SCREENSHOTS;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.png`), png);
  }
  if (keep && process.env.YKIEN_KEEP_SCREENSHOTS) fs.writeFileSync(keep, png);
}
