import type { Response } from 'supertest';
import type { Config } from '../src/config.js';
import { makeTestApp, type TestApp, type TestClock } from './helpers/app.js';

export const ORIGIN = 'https://ykien.example.vn';
export const COOKIE = '__Host-ykien_session';
export const GOOD_PASSWORD = 'Hoa-sen-no-giua-dam-2026';

/** An app behind https://ykien.example.vn (so the cookie is __Host- and Secure), with accounts. */
export const accountsApp = (overrides: Partial<Config> = {}, opts: { clock?: TestClock } = {}) => makeTestApp({ PUBLIC_URL: `${ORIGIN}/`, ...overrides }, opts);

export async function createUser(t: TestApp, body: { username: string; role?: 'admin' | 'moderator'; sites?: string[]; password?: string; displayName?: string }) {
  const res = await t.admin.post('/v1/admin/users', { role: 'moderator', password: GOOD_PASSWORD, ...body });
  if (res.status !== 201) throw new Error(`createUser: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { username: string; role: string; sites: string[] };
}

/** The session cookie's token from a response's Set-Cookie, if it set one. */
export function tokenOf(res: Response, name = COOKIE): string | undefined {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const c = set.find((s) => s.startsWith(`${name}=`));
  return c?.slice(name.length + 1).split(';')[0];
}

/** A signed-in person: calls carry the cookie, and (for writes) the Origin and CSRF token a console page sends. */
export interface Person {
  token: string;
  csrf: string;
  get(url: string): ReturnType<TestApp['http']['get']>;
  post(url: string, body?: object): ReturnType<TestApp['http']['post']>;
  patch(url: string, body?: object): ReturnType<TestApp['http']['patch']>;
  delete(url: string): ReturnType<TestApp['http']['delete']>;
}

export function personOf(t: TestApp, token: string, csrf: string, http = t.http): Person {
  const cookie = `${COOKIE}=${token}`;
  const write = <R extends { set(k: string, v: string): R }>(r: R) => r.set('Cookie', cookie).set('Origin', ORIGIN).set('X-CSRF-Token', csrf);
  return {
    token,
    csrf,
    get: (url) => http.get(url).set('Cookie', cookie),
    post: (url, body) => write(http.post(url)).send(body),
    patch: (url, body) => write(http.patch(url)).send(body),
    delete: (url) => write(http.delete(url)),
  };
}

export function login(t: TestApp, username: string, password = GOOD_PASSWORD, extra: Record<string, unknown> = {}, http = t.http) {
  return http.post('/v1/session').set('Origin', ORIGIN).send({ username, password, ...extra });
}

/** Signs in and returns the person; throws unless the login answered 200. */
export async function signIn(t: TestApp, username: string, password = GOOD_PASSWORD, extra: Record<string, unknown> = {}): Promise<Person> {
  const res = await login(t, username, password, extra);
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return personOf(t, tokenOf(res)!, res.body.csrfToken as string);
}
