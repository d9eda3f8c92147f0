// What the console's browser suites share: a context as staff use it (Vietnamese, Vietnam's clock) that
// collects page errors, axe-core through the DevTools protocol (the console's CSP rightly refuses an inline
// script tag), signing in through the form, and screenshots kept when YKIEN_SCREENSHOTS names a folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import axe from 'axe-core';
import { expect } from 'vitest';

export const PASSWORD = 'Hoa-sen-no-giua-dam-2026';

export interface OpenOptions {
  phone?: boolean;
  /** Console errors that a suite provokes on purpose and does not count. */
  expected?: RegExp;
  /** The page's default timeout, where Playwright's own is too long. */
  timeout?: number;
}

export async function openConsole(browser: Browser, viewport: { width: number; height: number }, { phone = false, expected = /401/, timeout }: OpenOptions = {}) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  if (timeout !== undefined) page.setDefaultTimeout(timeout);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    const text = m.text();
    // The first GET /v1/session of a signed-out browser answers 401 by design; a violation of the
    // console's CSP counts whatever the message's level.
    if ((m.type() === 'error' && !expected.test(text)) || /Content Security Policy/i.test(text)) errors.push(text);
  });
  return { context, page, errors };
}

/**
 * axe-core's WCAG 2.2 A/AA rules on the page. Evaluated through the DevTools protocol: the console's
 * CSP (rightly) refuses the inline script tag tests/widget/browser.ts would add.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
    const r = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.flatMap((v) => v.targets.map((t) => `${v.id} (${v.help}): ${t}`));
}

/** For when the form asks for more (a two-factor code): waits for nothing after sending it. */
export async function signInThroughForm(page: Page, origin: string, username: string, hash = '', password = PASSWORD) {
  await page.goto(`${origin}/admin/${hash}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Signs in and waits until the console shows the signed-in header. */
export async function signIn(page: Page, origin: string, username: string, hash = '', password = PASSWORD) {
  await signInThroughForm(page, origin, username, hash, password);
  // Exact: "Đăng xuất khỏi mọi thiết bị" on the account page would match too.
  await page.getByRole('button', { name: 'Đăng xuất', exact: true }).waitFor();
}

/** Elements reaching past the right edge of the screen, but for those inside `except` (a region that scrolls on purpose). */
export const overflowing = (page: Page, { except }: { except?: string } = {}) =>
  page.evaluate(
    (except) =>
      [...document.querySelectorAll('body *')]
        .filter((e) => !(except && e.closest(except)) && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    except ?? null,
  );

/** `keep`: a picture in docs/, rewritten only when YKIEN_KEEP_SCREENSHOTS asks for it. */
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
