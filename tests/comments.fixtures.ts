import { solveChallenge } from 'altcha-lib/v1';
import { expect } from 'vitest';
import type { Config } from '../src/config.js';
import { createSite, makeTestApp, testClock, type TestApp, type TestClock } from './helpers/app.js';

export const THREAD = 'ke-hoach-206-kh-hu';
export const base = (site = 'xa-a', thread = THREAD) => `/v1/sites/${site}/threads/${thread}/comments`;

/** An app with site "xa-a" (premoderation on unless told) on a fresh database. */
export async function commentsApp(overrides: Partial<Config> = {}, site: Record<string, unknown> = {}, clock: TestClock = testClock()) {
  const t = await makeTestApp(overrides, { clock });
  await createSite(t, site);
  return t;
}

/** The stored answer of a captcha: tests read it from the database like nobody else can. */
export async function answerOf(t: TestApp, id: string): Promise<string> {
  return (await t.sql.value('SELECT answer FROM captchas WHERE id = ?', id)) as string;
}

export interface PowChallenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}
export interface PowSolution {
  algorithm: 'SHA-256';
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

/** Does the proof of work the way a client must: by brute force (tests keep POW_MAX_NUMBER small). */
export async function solvePow(c: PowChallenge): Promise<PowSolution> {
  const found = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!found) throw new Error('proof of work not solved');
  return { algorithm: c.algorithm, challenge: c.challenge, number: found.number, salt: c.salt, signature: c.signature };
}

/** A captcha with its stored answer and, when the response carries one, its solved proof of work. */
export async function newCaptcha(t: TestApp, site = 'xa-a', mode?: 'accessible'): Promise<{ id: string; answer: string; pow?: PowSolution }> {
  const res = await t.http.get(`/v1/sites/${site}/captcha${mode ? `?mode=${mode}` : ''}`);
  expect(res.status).toBe(200);
  return { id: res.body.id, answer: await answerOf(t, res.body.id), ...(res.body.pow && { pow: await solvePow(res.body.pow) }) };
}

export const form = (over: Record<string, unknown> = {}) => ({
  name: 'Nguyễn Văn An',
  address: 'Thôn 3, xã Tiên Ngọc',
  email: 'an.nguyen@example.vn',
  content: 'Đề nghị xã công khai tiến độ kế hoạch 206/KH-HU trên cổng thông tin.',
  ...over,
});

let posted = 0;

/**
 * Posts a comment (CAPTCHA=off apps) and returns its id. Each gets its own content unless told,
 * so duplicate_comment does not refuse the second.
 */
export async function post(t: TestApp, over: Record<string, unknown> = {}, url = base()): Promise<string> {
  const res = await t.http.post(url).send(form({ content: `${form().content} (${++posted})`, ...over }));
  if (res.status !== 202 && res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function approve(t: TestApp, id: string) {
  const res = await t.admin.post(`/v1/admin/comments/${id}/approve`);
  expect(res.status).toBe(200);
  return res.body;
}
