// "Thư báo cho người duyệt" shows the server's refusals in words beside the field. These feed the console's mapping
// (console/sites.notify.errors.ts) the REAL problems PATCH /v1/admin/sites/:site answers, so a change of their
// shape on the server shows here, not as a raw field name in front of an admin.
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../console/api.js';
import { addresses, browserCheck, serverErrors } from '../../console/sites.notify.errors.js';
import { vi as words } from '../../console/strings/sites.js';
import { createSite, makeTestApp } from '../helpers/app.js';

const asApiError = (res: request.Response) => new ApiError(res.status, res.body.code, res.body.detail ?? '', res.body);
const badLine = (n: number, address: string) => words['notify.badLine'].replace('{n}', String(n)).replace('{address}', address);

describe('mail to moderators: the page\'s check and the server\'s refusals in words', () => {
  it('the page checks the shape only: what it lets through and what it names', () => {
    expect(addresses('  VanThu@TienNgoc.vn \n\n\tchutich@tienngoc.vn\n')).toEqual(['VanThu@TienNgoc.vn', 'chutich@tienngoc.vn']);
    expect(browserCheck(['vanthu@tienngoc.quangnam.gov.vn', 'Thu@Xa.VN'])).toBeNull();
    expect(browserCheck(['vanthu@tienngoc.vn', 'chủ tịch xã'])).toBe(badLine(2, 'chủ tịch xã'));
    expect(browserCheck(['thu@xa'])).toBe(badLine(1, 'thu@xa'));
    expect(browserCheck(['thu@xa..vn'])).toBe(badLine(1, 'thu@xa..vn'));
    expect(browserCheck(Array.from({ length: 21 }, (_, i) => `thu${i}@xa.vn`))).toBe(words['notify.tooMany'].replace('{n}', '20'));
  });

  const cases: [string, Record<string, unknown>, { emails?: string; minutes?: string }][] = [
    ['two dots in a row (past the page\'s check)', { notifyEmails: ['vanthu@xa-a.vn', 'van..thu@xa-a.vn'] }, { emails: badLine(2, 'van..thu@xa-a.vn') }],
    ['a control character (past the page\'s check)', { notifyEmails: ['thu\u0000@xa-a.vn'] }, { emails: badLine(1, 'thu\u0000@xa-a.vn') }],
    ['a one-letter top-level domain', { notifyEmails: ['a@b.c'] }, { emails: badLine(1, 'a@b.c') }],
    ['more than 20 addresses', { notifyEmails: Array.from({ length: 21 }, (_, i) => `thu${i}@xa-a.vn`) }, { emails: words['notify.tooMany'].replace('{n}', '20') }],
    ['a digest too often', { notifyDigestMinutes: 3 }, { minutes: words['notify.badMinutes'] }],
    ['a digest rarer than a day', { notifyDigestMinutes: 1441 }, { minutes: words['notify.badMinutes'] }],
    ['a fraction of a minute', { notifyDigestMinutes: 7.5 }, { minutes: words['notify.badMinutes'] }],
  ];
  it.each(cases)('%s: named at its field, in words', async (_, body, expected) => {
    const t = await makeTestApp();
    await createSite(t);
    const res = await t.admin.patch('/v1/admin/sites/xa-a', body);
    expect(res.status).toBe(400);
    expect(serverErrors(asApiError(res), (body.notifyEmails as string[] | undefined) ?? [])).toEqual(expected);
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body).toMatchObject({ notifyEmails: [], notifyDigestMinutes: 0 });
  });

  it('any other refusal is not a field\'s: the page says it in its own words', () => {
    expect(serverErrors(new ApiError(403, 'forbidden', '', { code: 'forbidden' }), [])).toBeNull();
    expect(serverErrors(new ApiError(400, 'validation_failed', '', { errors: [{ field: 'name', message: 'x' }] }), [])).toBeNull();
  });
});
