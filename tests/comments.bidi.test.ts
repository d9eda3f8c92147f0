import { describe, expect, it } from 'vitest';
import { createPoll, createSite, makeTestApp } from './helpers/app.js';
import { base, commentsApp, form } from './comments.fixtures.js';

/** Every character that can reorder the text around it, as an attacker would mix them in. */
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('bidirectional controls cannot make a reader look like "UBND xã"', () => {
  it('an RTL override in a name and a comment is removed before it is stored or shown', async () => {
    const t = await commentsApp({}, { premoderation: false });
    // Shown right to left, "ãx DNBU" reads "UBND xã": a reader posing as the commune's People's Committee.
    const spoof = {
      name: '\u202Eãx DNBU',
      address: 'Thôn 1\u2067 \u202Eạhp gnađ\u2069',
      content: 'Thông báo chính thức: \u202Eníhc hnít gnôht\u202C hãy chuyển khoản phí.',
    };
    const res = await t.http.post(base()).send(form(spoof));
    expect(res.status).toBe(201);
    expect(res.body.comment).toMatchObject({ name: 'ãx DNBU', address: 'Thôn 1 ạhp gnađ', content: 'Thông báo chính thức: níhc hnít gnôht hãy chuyển khoản phí.' });
    const row = (await t.sql.rows<Record<string, string>>('SELECT name, address, content FROM comments WHERE id = ?', res.body.id))[0]!;
    for (const v of Object.values(row)) for (const c of BIDI) expect(v).not.toContain(c);
    const page = await t.http.get(base());
    for (const c of BIDI) expect(page.text).not.toContain(c);
  });

  it('every bidi control is removed from every text people type: comments, site names, poll questions and options', async () => {
    const t = await makeTestApp();
    await createSite(t, { name: `Xã${BIDI.join('')} A` });
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body.name).toBe('Xã A');
    const poll = await createPoll(t, { question: `\u202BCâu hỏi?\u202C`, options: ['\u2066Có\u2069', '\u200FKhông\u200E'] });
    const got = await t.http.get(`/v1/polls/${poll.id}`);
    expect(got.body.question).toBe('Câu hỏi?');
    expect(got.body.options.map((o: { label: string }) => o.label)).toEqual(['Có', 'Không']);
    for (const c of BIDI) {
      const res = await t.http.post(base()).send(form({ name: `Nguyễn${c} Văn An`, content: `Nội dung ${c}số ${c.codePointAt(0)}` }));
      expect(res.status).toBe(202);
      const row = (await t.sql.rows<{ name: string; content: string }>('SELECT name, content FROM comments WHERE id = ?', res.body.id))[0]!;
      expect(row).toEqual({ name: 'Nguyễn Văn An', content: `Nội dung số ${c.codePointAt(0)}` });
    }
  });

  it('a field made only of bidi controls is empty, and refused like one', async () => {
    const t = await commentsApp();
    const res = await t.http.post(base()).send(form({ name: '\u202E\u202C\u200F' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name', message: 'must not be empty' })]);
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toBe(0);
  });

  it('a phone number pasted from a phone (wrapped in U+202A…U+202C) is kept, without the wrapping', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const res = await t.http.post(base()).send(form({ content: 'Liên hệ tổ trưởng: \u202A+84 912 345 678\u202C.' }));
    expect(res.status).toBe(201);
    expect(res.body.comment.content).toBe('Liên hệ tổ trưởng: +84 912 345 678.');
  });
});
