import { describe, expect, it } from 'vitest';
import { approve, base, commentsApp, form, post } from './comments.fixtures.js';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(document.cookie)>',
  "';alert(String.fromCharCode(88,83,83))//",
  '<a href="javascript:alert(1)">bấm vào đây</a>',
  '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
  '{{constructor.constructor(\'alert(1)\')()}}',
  '<style>@import "http://evil.example/x.css";</style>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '</script><script>alert(1)</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '\u2028\u2029<body onload=alert(1)>',
];

describe('content is plain text, stored and returned byte-for-byte', () => {
  it('an XSS payload list comes back inert, as JSON strings, everywhere it is shown', async () => {
    const t = await commentsApp();
    const ids: string[] = [];
    for (const payload of XSS) {
      ids.push(await post(t, { content: payload, name: payload.slice(0, 100), address: payload.slice(0, 200) }));
      t.clock.advance(1000);
    }
    for (const id of ids) await approve(t, id);

    const page = await t.http.get(`${base()}?limit=100`);
    expect(page.headers['content-type']).toMatch(/^application\/json/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body.comments.map((c: { content: string }) => c.content)).toEqual(XSS.map((p) => p.trim()));
    expect(page.body.comments.map((c: { name: string }) => c.name)).toEqual(XSS.map((p) => p.slice(0, 100).trim()));
    // Stored exactly as typed: not escaped, not stripped (escaping is the renderer's job, with textContent).
    const stored = (id: string) => t.sql.value('SELECT content FROM comments WHERE id = ?', id);
    for (const [i, id] of ids.entries()) expect(await stored(id)).toBe(XSS[i]!.trim());

    const adminList = await t.admin.get('/v1/admin/comments?site=xa-a&limit=100');
    expect(adminList.headers['content-type']).toMatch(/^application\/json/);
    expect(new Set(adminList.body.comments.map((c: { content: string }) => c.content))).toEqual(new Set(XSS.map((p) => p.trim())));
    // The raw bytes contain no live markup outside JSON strings: "<" only ever appears inside quoted values.
    const body = page.text;
    expect(() => JSON.parse(body)).not.toThrow();
    expect(body.startsWith('{')).toBe(true);
  });

  it('Vietnamese text round-trips, NFD input is stored as NFC', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const nfc = {
      name: 'Nguyễn Thị Hồng Nhung',
      address: 'Thôn Phú Thạnh, xã Tiên Ngọc, huyện Tiên Phước',
      content: 'Ý kiến: Đề nghị UBND xã sớm sửa đường ĐH 12 — “trời mưa lầy lội”.\nXin cảm ơn!',
    };
    const nfd = Object.fromEntries(Object.entries(nfc).map(([k, v]) => [k, v.normalize('NFD')]));
    expect(nfd.name).not.toBe(nfc.name);
    const res = await t.http.post(base()).send(form(nfd));
    expect(res.status).toBe(201);
    expect(res.body.comment).toMatchObject(nfc);
    const row = (await t.sql.rows('SELECT name, address, content FROM comments WHERE id = ?', res.body.id))[0];
    expect(row).toEqual(nfc);
    const page = await t.http.get(base());
    expect(page.body.comments[0]).toMatchObject(nfc);
    // Windows line endings become \n; surrounding whitespace goes.
    const crlf = await t.http.post(base()).send(form({ content: '  Dòng 1\r\nDòng 2\r\n' }));
    expect(crlf.body.comment.content).toBe('Dòng 1\nDòng 2');
  });
});
