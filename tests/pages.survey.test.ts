import { describe, expect, it } from 'vitest';
import type { AdminSurvey, Question } from '../src/api/surveys.js';
import { createSite, makeTestApp, type TestApp } from './helpers/app.js';

const LEVELS = ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'];

/** One question of each type, in two sections. */
const SURVEY = {
  site: 'xa-a',
  title: 'Khảo sát mức độ hài lòng về dịch vụ công',
  intro: 'Xin ông/bà dành ít phút cho biết ý kiến.',
  resultsVisibility: 'always',
  questions: [
    { type: 'single', title: 'Ông/bà biết thủ tục qua kênh nào?', section: 'I. Tiếp cận dịch vụ', required: true, options: ['Niêm yết tại Bộ phận Một cửa', 'Cổng thông tin điện tử'] },
    { type: 'multiple', title: 'Những khó khăn đã gặp', maxChoices: 2, options: ['Chờ đợi lâu', 'Hướng dẫn chưa rõ', 'Bổ sung hồ sơ nhiều lần'] },
    { type: 'matrix', title: 'Mức độ hài lòng về thủ tục', section: 'II. Thủ tục hành chính', required: true, items: ['Niêm yết công khai', 'Thời hạn giải quyết'], scale: { min: 1, max: 5, labels: LEVELS } },
    { type: 'scale', title: 'Nhìn chung ông/bà hài lòng thế nào?', required: true, scale: { min: 1, max: 5, labels: LEVELS } },
    { type: 'text', title: 'Góp ý khác', multiline: true },
  ],
};

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  (res.headers['set-cookie'] as string[] | undefined)?.find((c) => c.startsWith(`${name}=`));

async function setup(body: Record<string, unknown> = {}) {
  const t = await makeTestApp();
  await createSite(t);
  const res = await t.admin.post('/v1/admin/surveys', { ...SURVEY, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const s = res.body as AdminSurvey;
  const q = (i: number) => s.questions[i] as Question & { options?: { id: string }[]; items?: { id: string }[] };
  return { t, s, q };
}

/** Opens the form as a browser does (its cookie and token), then posts `fields` from the same origin. */
async function respond(t: TestApp, id: string, fields: [string, string][], cookie = '') {
  const page = await t.http.get(`/s/${id}`).set('Cookie', cookie);
  const form = cookieOf(page, 'ykien_form')?.split(';')[0];
  const cookies = [cookie, form].filter(Boolean).join('; ');
  const browser = /ykien_form=([^;]+)/.exec(cookies)![1]!;
  // A page in its answered state has no form: the respondent posts a copy opened earlier.
  const token = /name="token" value="([^"]+)"/.exec(page.text)?.[1] ?? t.services.hasher.formToken(browser, `survey:${id}`);
  const body = new URLSearchParams([...fields, ['token', token]]).toString();
  return { res: await t.http.post(`/s/${id}`).set('Sec-Fetch-Site', 'same-origin').set('Cookie', cookies).type('form').send(body), cookies, token };
}

describe('no-JS survey page /s/:id', () => {
  it('renders every question on one form: sections as headings, fieldsets, the matrix as a table, under the strict CSP', async () => {
    const { t, s } = await setup();
    const res = await t.http.get(`/s/${s.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(cookieOf(res, 'ykien_form')).toMatch(/Path=\/s;.*HttpOnly/i);
    const html = res.text;
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<link rel="stylesheet" href="/s.css">');
    expect(html).not.toMatch(/<style|style=|<script| on[a-z]+=/i);
    expect(html.match(/<fieldset>/g)).toHaveLength(5);
    expect(html).toContain('<h2>I. Tiếp cận dịch vụ</h2>');
    expect(html).toContain('<h2>II. Thủ tục hành chính</h2>');
    expect(html).toContain('Câu có dấu (*) là bắt buộc.');
    expect(html).toContain('Chọn tối đa 2 phương án.');
    // Matrix: a header per level, a row header per item, each radio named by its row and column.
    expect(html.match(/<th scope="col"/g)).toHaveLength(5);
    expect(html).toMatch(/<th scope="row" id="q2-r0">Niêm yết công khai<\/th>/);
    expect(html).toMatch(/aria-labelledby="q2-r0 q2-c5"/);
    expect(html).toMatch(/<textarea rows="4" name="a\.[^"]+" maxlength="\d+" aria-labelledby="q4-l"/);
    expect(html).toContain('<button type="submit">Gửi khảo sát</button>');
    const css = await t.http.get('/s.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('stores a response and redirects (303) to the thank-you with the results; free text stays private', async () => {
    const { t, s, q } = await setup();
    const { res } = await respond(t, s.id, [
      [`a.${q(0).id}`, q(0).options![1]!.id],
      [`a.${q(1).id}`, q(1).options![0]!.id],
      [`a.${q(1).id}`, q(1).options![2]!.id],
      [`a.${q(2).id}.${q(2).items![0]!.id}`, '5'],
      [`a.${q(2).id}.${q(2).items![1]!.id}`, '4'],
      [`a.${q(3).id}`, '4'],
      [`a.${q(4).id}`, 'Bí mật riêng của người trả lời'],
    ]);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.location).toBe(`/s/${encodeURIComponent(s.id)}?done=1`);
    const respondent = cookieOf(res, 'ykien_respondent');
    expect(respondent).toMatch(/Path=\/s;.*HttpOnly/i);
    const results = (await t.admin.get(`/v1/admin/surveys/${s.id}/results`)).body;
    expect(results.responses).toBe(1);

    const done = await t.http.get(`/s/${s.id}?done=1`).set('Cookie', respondent!.split(';')[0]!);
    expect(done.text).toContain('<p class="ok" role="status">Cảm ơn bạn đã tham gia khảo sát.</p>');
    expect(done.text).toContain('<h2>Kết quả khảo sát</h2>');
    expect(done.text).toContain('1 người tham gia');
    expect(done.text).toContain('Điểm trung bình: 4/5');
    expect(done.text).not.toContain('<form');
    expect(done.text).not.toContain('Bí mật riêng');

    // The same browser again: the answered state, and the service refuses a second response.
    const again = await respond(t, s.id, [[`a.${q(0).id}`, q(0).options![0]!.id]], respondent!.split(';')[0]!);
    expect(again.res.status).toBe(409);
    expect(again.res.text).toContain('Bạn đã tham gia khảo sát này.');
    expect((await t.admin.get(`/v1/admin/surveys/${s.id}/results`)).body.responses).toBe(1);
  });

  it('renders a refusal with every typed answer kept and each error next to its question', async () => {
    const { t, s, q } = await setup();
    const { res } = await respond(t, s.id, [
      // q0 (required) left out; one matrix row left out; an out-of-range scale; three choices of at most two.
      [`a.${q(1).id}`, q(1).options![0]!.id],
      [`a.${q(1).id}`, q(1).options![1]!.id],
      [`a.${q(1).id}`, q(1).options![2]!.id],
      [`a.${q(2).id}.${q(2).items![0]!.id}`, '3'],
      [`a.${q(3).id}`, '9'],
      [`a.${q(4).id}`, 'Góp ý <b>đậm</b> & "trích dẫn"'],
    ]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const html = res.text;
    expect(html).toContain('<p class="err" role="alert">Vui lòng kiểm tra lại các câu được đánh dấu.</p>');
    const errorOf = (i: number) => new RegExp(`<p class="err-q" id="q${i}-e">([^<]*)</p>`).exec(html)?.[1];
    expect(errorOf(0)).toBe('Vui lòng trả lời câu hỏi này.');
    expect(errorOf(1)).toBe('Chọn tối đa 2 phương án.');
    expect(errorOf(2)).toMatch(/^Vui lòng/);
    expect(errorOf(3)).toBe('Câu trả lời không hợp lệ.');
    expect(errorOf(4)).toBe('');
    expect(html).toMatch(/aria-invalid="true" aria-describedby="q0-e"/);
    // Typed answers kept, escaped.
    for (const o of q(1).options!) expect(html).toContain(`value="${o.id}" checked`);
    expect(html).toMatch(new RegExp(`name="a\\.${q(2).id}\\.${q(2).items![0]!.id}" value="3" aria-labelledby="[^"]+" checked`));
    expect(html).toContain('>Góp ý &#60;b&#62;đậm&#60;/b&#62; &#38; &#34;trích dẫn&#34;</textarea>');
    expect((await t.admin.get(`/v1/admin/surveys/${s.id}/results`)).body.responses).toBe(0);
  });

  it('refuses a form posted from another site, without a token, or with a poll\'s token, keeping the answers', async () => {
    const { t, s, q } = await setup();
    const answer = `a.${q(0).id}=${q(0).options![0]!.id}&a.${q(3).id}=5`;
    const page = await t.http.get(`/s/${s.id}`);
    const cookie = cookieOf(page, 'ykien_form')!.split(';')[0]!;
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    const browser = cookie.split('=')[1]!;

    const foreign = await t.http.post(`/s/${s.id}`).set('Origin', 'https://evil.example').set('Cookie', cookie).type('form').send(`${answer}&token=${token}`);
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('Biểu mẫu này chỉ gửi được từ trang khảo sát.');
    expect(foreign.text).toContain(`value="${q(0).options![0]!.id}" checked`);

    const noToken = await t.http.post(`/s/${s.id}`).set('Sec-Fetch-Site', 'same-origin').set('Cookie', cookie).type('form').send(answer);
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Phiên khảo sát đã hết hạn');

    // A poll's form token for the same id (the unscoped HMAC) is not a survey's.
    const pollToken = t.services.hasher.formToken(browser, s.id);
    const crossed = await t.http.post(`/s/${s.id}`).set('Sec-Fetch-Site', 'same-origin').set('Cookie', cookie).type('form').send(`${answer}&token=${pollToken}`);
    expect(crossed.status).toBe(403);

    const crossSite = await t.http.post(`/s/${s.id}`).set('Sec-Fetch-Site', 'cross-site').set('Cookie', cookie).type('form').send(`${answer}&token=${token}`);
    expect(crossSite.status).toBe(403);
    expect((await t.admin.get(`/v1/admin/surveys/${s.id}/results`)).body.responses).toBe(0);
  });

  it('escapes planted markup, says when a survey is closed, and 404s an unknown one', async () => {
    const planted = '<img src=x onerror=alert(1)>';
    const { t, s } = await setup({ title: `Khảo sát ${planted}`, questions: [{ type: 'single', title: `Câu ${planted}`, options: [`Có ${planted}`, 'Không'] }] });
    const res = await t.http.get(`/s/${s.id}`);
    expect(res.text).not.toContain('<img');
    expect(res.text).toContain('Câu &#60;img src=x onerror=alert(1)&#62;');
    expect((await t.admin.post(`/v1/admin/surveys/${s.id}/close`)).status).toBe(200);
    const closed = await t.http.get(`/s/${s.id}`);
    expect(closed.text).toContain('Cuộc khảo sát đã kết thúc.');
    expect(closed.text).not.toContain('<form');
    const missing = await t.http.get('/s/khong-co');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Không tìm thấy cuộc khảo sát này.');
  });
});

describe('the demo', () => {
  it('seeds the citizen-satisfaction survey from its template and shows it on the demo page, with its no-JS link', async () => {
    const { seedDemo } = await import('../src/demo/seed.js');
    const t = await makeTestApp();
    expect(await seedDemo(t.services, ['http://localhost:8080'])).toBe(true);
    const page = (await t.http.get('/')).text;
    const id = /data-ykien-survey="([^"]+)"/.exec(page)?.[1];
    // A well-known id, like the demo poll's, with well-known question and choice ids.
    expect(id).toBe('hai-long-dich-vu-cong');
    expect(page).toContain(`<noscript><p><a href="/s/${id}">Tham gia khảo sát mức độ hài lòng</a></p></noscript>`);
    const survey = (await t.admin.get(`/v1/admin/surveys/${id}`)).body as AdminSurvey;
    expect(survey.template).toBe('hai-long-dich-vu-cong');
    expect(survey.questions.some((q) => q.type === 'matrix')).toBe(true);
    expect((await t.http.get(`/s/${id}`)).status).toBe(200);
    expect(survey.questions[0]!.id).toBe('hai-long-dich-vu-cong-1');
  });

  it('a database seeded before the fixed id keeps showing the survey its setting names', async () => {
    const { seedDemo } = await import('../src/demo/seed.js');
    const t = await makeTestApp();
    expect(await seedDemo(t.services, ['http://localhost:8080'])).toBe(true);
    // As an older seed left it: a survey with a random id, noted in the demo_survey setting.
    const old = (await t.admin.post('/v1/admin/surveys', { site: 'tienngoc', template: 'hai-long-dich-vu-cong' })).body as AdminSurvey;
    await t.services.storage.settings.setOnce('demo_survey', old.id);
    const page = (await t.http.get('/')).text;
    expect(/data-ykien-survey="([^"]+)"/.exec(page)?.[1]).toBe(old.id);
  });
});
