import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './helpers/cli.js';
import { createSite, makeTestApp, type TestApp } from './helpers/app.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/import');
const fixture = (name: string) => path.join(FIXTURES, name);

async function cli(t: TestApp, ...args: string[]) {
  const r = await runCommand(args, { env: t.databaseEnv as Record<string, string> });
  return { ...r, text: r.out.join('\n'), error: r.err.join('\n') };
}

/** Every table's rows, as one text: what "nothing was written" and "no IP anywhere" are checked on. */
async function everything(t: TestApp) {
  const out: Record<string, unknown[]> = {};
  for (const table of await t.sql.tables()) if (table !== 'schema_migrations') out[table] = await t.sql.rows(`SELECT * FROM ${table}`);
  return JSON.stringify(out);
}

/** The visible counter of each thread against the rows it counts (approved top-level + approved replies of approved). */
async function countersMatchRows(t: TestApp) {
  const counters = await t.sql.rows<{ thread_key: string; approved: number }>('SELECT thread_key, approved FROM comment_threads ORDER BY thread_key');
  for (const c of counters) {
    const rows = await t.sql.value<number>(
      `SELECT COUNT(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
       WHERE c.thread_key = ? AND c.status = 'approved' AND (c.parent_id IS NULL OR p.status = 'approved')`,
      c.thread_key,
    );
    expect(Number(rows), c.thread_key).toBe(Number(c.approved));
  }
  return counters.map((c) => ({ thread: c.thread_key, approved: Number(c.approved) }));
}

const thread = (t: TestApp, site: string, key: string) => t.http.get(`/v1/sites/${site}/threads/${encodeURIComponent(key)}/comments`);

describe('ykien import comments', () => {
  it('imports a WordPress export: threads by path, replies nested (any depth, parent after child), statuses, dates, text from HTML', async () => {
    const t = await makeTestApp();
    await createSite(t, { id: 'xa-tien-ky', name: 'Xã Tiên Kỳ', origins: [] });
    // Read (and cached by the response cache) before the import: the import must move the cache's version.
    expect((await thread(t, 'xa-tien-ky', '/2024/06/ke-hoach-206')).body).toMatchObject({ total: 0, comments: [] });
    const before = await everything(t);
    const dry = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'wxr', fixture('wordpress.xml'), '--dry-run');
    expect(dry.error).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.out).toEqual([
      'Chạy thử — Nhập ý kiến từ wordpress.xml (WordPress WXR) vào trang xa-tien-ky:',
      '  2 chủ đề; 8 ý kiến: 5 đã duyệt, 1 chờ duyệt, 1 spam, 1 đã xóa; trong đó 2 trả lời (1 trả lời của trả lời, gắn vào ý kiến gốc)',
      '  1 địa chỉ e-mail không hợp lệ đã bỏ đi (giữ ý kiến)',
      '  Bỏ qua 1 ý kiến:',
      expect.stringMatching(/^ {4}dòng \d+ \(mã 1008\): pingback \(không phải ý kiến\)$/),
      'Chạy thử: sẽ nhập 8 mới, 0 đã có. Chưa ghi gì vào cơ sở dữ liệu.',
    ]);
    expect(await everything(t)).toBe(before);

    const run = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'wxr', fixture('wordpress.xml'));
    expect(run.error).toBe('');
    expect(run.code).toBe(0);
    expect(run.out.at(-1)).toBe('Đã nhập: 8 mới, 0 đã có.');

    // The thread the widget shows on https://…/2024/06/ke-hoach-206 (data-ykien-comments empty: location.pathname).
    const page = await thread(t, 'xa-tien-ky', '/2024/06/ke-hoach-206');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(4);
    expect(page.body.comments.map((c: { name: string }) => c.name)).toEqual(['Nguyễn Văn An', 'Trần Thị Bích']);
    const [an, bich] = page.body.comments;
    expect(an.content).toBe('Kế hoạch rất thiết thực.\nĐề nghị xã tổ chức tập huấn cho người dân <trên 60 tuổi>.');
    expect(an.createdAt).toBe('2024-06-03T08:05:00.000Z');
    expect(bich.content).toBe('Cho hỏi hạn nộp hồ sơ & nơi nhận là ở đâu ạ?\n\nXin cám ơn “Ban biên tập”.');
    // Three levels in WordPress: the reply to the reply is a reply of the comment that started it, in time order.
    expect(bich.replies.map((r: { name: string; content: string }) => [r.name, r.content])).toEqual([
      ['Lê Văn Cường', 'Theo kế hoạch thì hạn chót là 30/6.'],
      ['Phạm Thị Dung', 'Cảm ơn anh, em đã hiểu.'],
    ]);
    // A path with Vietnamese letters, percent-encoded as location.pathname gives it.
    const other = await thread(t, 'xa-tien-ky', new URL('https://x/tin-tức/lịch-tiếp-dân').pathname);
    expect(other.body.comments.map((c: { content: string }) => c.content)).toEqual(['Thứ Bảy có tiếp dân không ạ?']);
    expect(other.body.comments[0].createdAt).toBe('2024-07-01T00:45:30.000Z');

    // The moderators see the rest, e-mails lower case as the comment form stores them.
    const queue = (await t.admin.get('/v1/admin/comments?site=xa-tien-ky&limit=50')).body.comments as Record<string, string | null>[];
    const byName = new Map(queue.map((c) => [c.name, c]));
    expect(queue).toHaveLength(8);
    expect(byName.get('Hoàng Minh Đức')).toMatchObject({ status: 'pending', email: null, createdAt: '2024-06-07T02:30:00.000Z' }); // GMT date "0000-00-00": local in Asia/Ho_Chi_Minh
    expect(byName.get('Vay tiền nhanh')).toMatchObject({ status: 'spam', content: 'Vay tiền online lãi suất thấp [http://vay-nhanh.example.com]' });
    expect(byName.get('Người qua đường')).toMatchObject({ status: 'rejected', createdAt: '2024-06-08T04:00:00.000Z' }); // no seconds
    expect(byName.get('Trần Thị Bích')).toMatchObject({ email: 'bich.tran@example.vn', ipHash: null });
    expect(queue.every((c) => !/[<>]/.test(String(c.content)) || c.name === 'Nguyễn Văn An')).toBe(true);

    // No IP (or anything made from one) and no author website anywhere, in any column of any table.
    const all = await everything(t);
    for (const leaked of ['203.113.131.44', '2001:ee0:4f1a:12::7', '14.161.22.9', '113.161.78.200', '45.133.1.90', 'https://spam.example.com', 'baoquangnam', 'script'])
      expect(all).not.toContain(leaked);
    expect(await t.sql.column("SELECT ip_hash FROM comments WHERE ip_hash IS NOT NULL")).toEqual([]);
    expect(await countersMatchRows(t)).toEqual([
      { thread: '/2024/06/ke-hoach-206', approved: 4 },
      { thread: '/tin-t%E1%BB%A9c/l%E1%BB%8Bch-ti%E1%BA%BFp-d%C3%A2n', approved: 1 },
    ]);
    const audit = await t.sql.rows<{ action: string; actor: string; site_id: string; detail: unknown }>("SELECT action, actor, site_id, detail FROM audit_log WHERE action = 'comment.import'");
    expect(audit).toHaveLength(1);
    const detail = typeof audit[0]!.detail === 'string' ? JSON.parse(audit[0]!.detail) : audit[0]!.detail;
    expect(detail).toMatchObject({ format: 'wxr', file: 'wordpress.xml', inserted: 8, existing: 0, skipped: 1, threads: 2 });

    // Rerun: nothing new, nothing changed, not audited twice.
    const again = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'wxr', fixture('wordpress.xml'));
    expect(again.code).toBe(0);
    expect(again.out.at(-1)).toBe('Đã nhập: 0 mới, 8 đã có.');
    expect(await t.sql.value('SELECT COUNT(*) FROM comments')).toEqual(expect.anything());
    expect(Number(await t.sql.value('SELECT COUNT(*) FROM comments'))).toBe(8);
    expect(await countersMatchRows(t)).toEqual([
      { thread: '/2024/06/ke-hoach-206', approved: 4 },
      { thread: '/tin-t%E1%BB%A9c/l%E1%BB%8Bch-ti%E1%BA%BFp-d%C3%A2n', approved: 1 },
    ]);
    expect((await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'wxr', fixture('wordpress.xml'), '--dry-run')).out.at(-1)).toBe(
      'Chạy thử: sẽ nhập 0 mới, 8 đã có. Chưa ghi gì vào cơ sở dữ liệu.',
    );
  });

  it('imports a Disqus export: threads by the link path, a reply chain given children first, deleted as rejected, spam as spam', async () => {
    const t = await makeTestApp();
    await createSite(t, { id: 'xa-tien-son', name: 'Xã Tiên Sơn', origins: [] });
    const run = await cli(t, 'import', 'comments', '--site', 'xa-tien-son', '--format', 'disqus', fixture('disqus.xml'));
    expect(run.error).toBe('');
    expect(run.out).toEqual([
      'Nhập ý kiến từ disqus.xml (Disqus) vào trang xa-tien-son:',
      '  1 chủ đề; 5 ý kiến: 3 đã duyệt, 1 spam, 1 đã xóa; trong đó 2 trả lời (1 trả lời của trả lời, gắn vào ý kiến gốc)',
      'Đã nhập: 5 mới, 0 đã có.',
    ]);
    const page = (await thread(t, 'xa-tien-son', '/2024/06/ke-hoach-206')).body;
    expect(page.total).toBe(3);
    expect(page.comments).toHaveLength(1);
    expect(page.comments[0]).toMatchObject({ name: 'Ngô Quang Vinh', content: 'Xã có kế hoạch lắp wifi miễn phí không?', createdAt: '2024-06-04T01:15:42.000Z' });
    expect(page.comments[0].replies.map((r: { content: string; createdAt: string }) => [r.content, r.createdAt])).toEqual([
      ['Thôn 3 chưa có wifi công cộng – đề nghị xã xem xét.\n\nTrân trọng!', '2024-06-04T12:00:00.000Z'],
      ['Đồng ý với chị. Em sẽ báo lại thôn\u00a03.', '2024-06-05T09:30:00.000Z'],
    ]);
    const spam = (await t.admin.get('/v1/admin/comments?site=xa-tien-son&status=spam')).body.comments;
    expect(spam.map((c: { email: string }) => c.email)).toEqual(['sim@spam.example.com']);
    const rejected = (await t.admin.get('/v1/admin/comments?site=xa-tien-son&status=rejected')).body.comments;
    expect(rejected.map((c: { name: string }) => c.name)).toEqual(['Ẩn danh']);
    const all = await everything(t);
    for (const ip of ['118.69.55.10', '2402:800:6310:1::abcd', '1.52.3.4', '5.188.62.1', '1.52.3.5']) expect(all).not.toContain(ip);
    await countersMatchRows(t);
    expect((await cli(t, 'import', 'comments', '--site', 'xa-tien-son', '--format', 'disqus', fixture('disqus.xml'))).out.at(-1)).toBe('Đã nhập: 0 mới, 5 đã có.');
  });

  it('imports the documented JSON shape, and maps threads by --thread-key', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const run = await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'json', fixture('comments.json'));
    expect(run.error).toBe('');
    expect(run.out.at(-1)).toBe('Đã nhập: 4 mới, 0 đã có.');
    const page = (await thread(t, 'xa-a', '/thong-bao/lich-cat-dien.html')).body;
    expect(page.comments).toEqual([
      expect.objectContaining({
        name: 'Lý Thị Mai',
        address: 'Thôn 2, xã Tiên Kỳ',
        content: 'Cắt điện đến mấy giờ ạ?\nNhà em có người bệnh.',
        createdAt: '2024-08-01T01:00:00.000Z', // no zone in the file: the site's (Asia/Ho_Chi_Minh)
        replies: [expect.objectContaining({ name: 'Điện lực Tiên Phước', createdAt: '2024-08-01T02:00:00.000Z' })],
      }),
    ]);
    // JSON content is text already: what looks like markup is kept as the characters it is.
    expect((await thread(t, 'xa-a', 'hoi-dap-42')).body.comments[0].content).toBe('<b>không</b> phải HTML: giữ nguyên');
    expect(await t.sql.column("SELECT email FROM comments WHERE email IS NOT NULL")).toEqual(['mai.ly@example.vn']);

    // Another mapping: the WordPress post id, or the whole link.
    await createSite(t, { id: 'xa-b', name: 'Xã B', origins: [] });
    expect((await cli(t, 'import', 'comments', '--site', 'xa-b', '--format', 'wxr', '--thread-key', 'id', fixture('wordpress.xml'))).code).toBe(0);
    expect((await thread(t, 'xa-b', '206')).body.total).toBe(4);
    await createSite(t, { id: 'xa-c', name: 'Xã C', origins: [] });
    expect((await cli(t, 'import', 'comments', '--site', 'xa-c', '--format', 'wxr', '--thread-key', 'slug', fixture('wordpress.xml'))).code).toBe(0);
    expect((await thread(t, 'xa-c', 'ke-hoach-206')).body.total).toBe(4);
    await countersMatchRows(t);
  });

  it('refuses a malformed file naming its line and column, and writes nothing though many comments came before the fault', async () => {
    const t = await makeTestApp();
    await createSite(t, { id: 'xa-tien-ky', name: 'Xã Tiên Kỳ', origins: [] });
    const before = await everything(t);
    const res = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'wxr', fixture('malformed.xml'));
    expect(res.code).toBe(1);
    expect(res.error).toBe('error: malformed.xml, line 160, column 49: unexpected close tag. Nothing was imported.');
    expect(await everything(t)).toBe(before);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-'));
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{\n  "threads": [\n    { "key": "a", "comments": [ }\n  ]\n}\n');
    const json = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'json', broken);
    expect(json.code).toBe(1);
    expect(json.error).toMatch(/^error: broken\.json, line 3, column 33: /);
    const wrong = path.join(dir, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ threads: [{ key: 'a', comments: [{ id: 'x', name: 'A', content: 'B', createdAt: '2024-01-01', status: 'deleted' }] }] }));
    const shape = await cli(t, 'import', 'comments', '--site', 'xa-tien-ky', '--format', 'json', wrong);
    expect(shape.code).toBe(1);
    expect(shape.error).toContain('threads[0].comments[0].status');
    expect(await everything(t)).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('skips a comment longer than our limit with its reason (and its replies), and stores the rest', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'long-'));
    const file = path.join(dir, 'long.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        threads: [
          {
            key: 'bai-1',
            comments: [
              { id: 'ok', name: 'A', content: 'Ngắn', createdAt: '2024-01-01T00:00:00Z' },
              { id: 'long', name: 'B', content: 'ý'.repeat(5001), createdAt: '2024-01-01T00:00:00Z' },
              { id: 'reply', parentId: 'long', name: 'C', content: 'Trả lời', createdAt: '2024-01-02T00:00:00Z' },
              { id: 'orphan', parentId: 'nowhere', name: 'D', content: 'Mồ côi', createdAt: '2024-01-02T00:00:00Z' },
              { id: 'nodate', name: 'E', content: 'Không ngày', createdAt: '0000-00-00 00:00:00' },
            ],
          },
        ],
      }),
    );
    const res = await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'json', file);
    expect(res.code).toBe(0);
    expect(res.out).toEqual([
      'Nhập ý kiến từ long.json (JSON) vào trang xa-a:',
      '  1 chủ đề; 1 ý kiến: 1 đã duyệt; trong đó 0 trả lời',
      '  Bỏ qua 4 ý kiến:',
      '    chủ đề threads[0], ý kiến thứ 2 (mã long): nội dung dài hơn 5000 ký tự',
      '    chủ đề threads[0], ý kiến thứ 3 (mã reply): trả lời ý kiến long, ý kiến đó bị bỏ qua',
      '    chủ đề threads[0], ý kiến thứ 4 (mã orphan): trả lời ý kiến nowhere, không có trong tệp',
      '    chủ đề threads[0], ý kiến thứ 5 (mã nodate): không có ngày giờ dùng được',
      'Đã nhập: 1 mới, 0 đã có.',
    ]);
    expect(await t.sql.column('SELECT content FROM comments')).toEqual(['Ngắn']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes hostile text without a crash on either backend: U+0000 and controls dropped from text, a key or id with them refused', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nul-'));
    const write = (name: string, data: unknown) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, JSON.stringify(data));
      return f;
    };
    const file = write('nul.json', {
      threads: [
        { key: 'bai\u0000x', comments: [{ id: 'k', name: 'A', content: 'khóa hỏng', createdAt: '2024-01-01T00:00:00Z' }] },
        { key: 'bai-2', comments: [{ id: 'n', name: 'Tên\u0000\u202Egiả', email: 'a\u0000@x.vn', address: 'Thôn\u0000 1', content: 'Nội\u0000 dung\u0007', createdAt: '2024-01-01T00:00:00Z' }] },
      ],
    });
    const res = await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'json', file);
    expect(res.error).toBe('');
    expect(res.out.at(-1)).toBe('Đã nhập: 1 mới, 0 đã có.');
    expect(res.text).toContain('(mã k): khóa chủ đề');
    expect(await t.sql.rows('SELECT name, email, address, content FROM comments')).toEqual([{ name: 'Tên giả', email: null, address: 'Thôn 1', content: 'Nội dung' }]);
    const badId = await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'json', write('id.json', { threads: [{ key: 'a', comments: [{ id: 'x\u0000', name: 'A', content: 'B', createdAt: '2024-01-01T00:00:00Z' }] }] }));
    expect(badId.code).toBe(1);
    expect(badId.error).toContain('threads[0].comments[0].id');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('explains bad usage and an unknown site', async () => {
    const t = await makeTestApp();
    await createSite(t);
    expect((await cli(t, 'import', 'comments', '--site', 'xa-a', fixture('comments.json'))).code).toBe(64);
    expect((await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'csv', fixture('comments.json'))).code).toBe(64);
    expect((await cli(t, 'import', 'comments', '--format', 'json', fixture('comments.json'))).code).toBe(64);
    expect((await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'json', '--thread-key', 'title', fixture('comments.json'))).code).toBe(64);
    const none = await cli(t, 'import', 'comments', '--site', 'khong-co', '--format', 'json', fixture('comments.json'));
    expect(none.code).toBe(1);
    expect(none.error).toMatch(/khong-co/);
    const missing = await cli(t, 'import', 'comments', '--site', 'xa-a', '--format', 'wxr', fixture('nope.xml'));
    expect(missing.code).toBe(1);
    expect(missing.error).toMatch(/Cannot read/);
  });
});
