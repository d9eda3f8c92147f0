/**
 * A large WordPress export. SQLite only: what is proven here is the streaming parse and the one-transaction
 * import of a big file, which are the same code on both backends up to the store; the PostgreSQL store's
 * transaction and counters are proven by tests/storage/imports.contract.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXmlRecords } from '../src/imports/xml.js';
import { runCommand } from './helpers/cli.js';
import { createSite, makeTestApp } from './helpers/app.js';

const POSTS = 200;
const PER_POST = 100;

function writeWxr(file: string) {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n');
  for (let p = 0; p < POSTS; p++) {
    const parts = [`<item><title>Bài ${p}</title><link>https://xa.example.vn/2024/06/bai-${p}</link><wp:post_id>${p}</wp:post_id>`];
    for (let c = 0; c < PER_POST; c++) {
      const id = p * PER_POST + c + 1;
      // Every fifth comment answers the one before it (depth grows within a run of five).
      const parent = c % 5 ? id - 1 : 0;
      parts.push(
        `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Người dân số ${id}]]></wp:comment_author>` +
          `<wp:comment_author_email>dan${id}@example.vn</wp:comment_author_email><wp:comment_author_IP>10.0.${p % 250}.${c}</wp:comment_author_IP>` +
          `<wp:comment_date_gmt>2024-06-0${1 + (c % 9)} 0${c % 10}:00:00</wp:comment_date_gmt>` +
          `<wp:comment_content><![CDATA[<p>Ý kiến thứ ${id} về bài ${p}: đề nghị xã công khai tiến độ &amp; kinh phí.</p>]]></wp:comment_content>` +
          `<wp:comment_approved>${c % 10 === 9 ? '0' : '1'}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`,
      );
    }
    parts.push('</item>\n');
    fs.writeSync(out, parts.join(''));
  }
  fs.writeSync(out, '</channel></rss>\n');
  fs.closeSync(out);
}

describe('a 20,000-comment WordPress export', () => {
  it('is read as a stream (records come out while the file is still being read) and imported whole, counters equal rows', async () => {
    const t = await makeTestApp();
    await createSite(t, { id: 'xa-lon', name: 'Xã Lớn', origins: [] });
    const file = path.join(t.dir, 'big.xml');
    writeWxr(file);

    // Records come out while the file is read: the first comment long before the last chunk, never a whole document.
    let read = 0;
    async function* chunks() {
      for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
        read++;
        yield chunk as string;
      }
    }
    let firstAt: number | undefined;
    let comments = 0;
    await readXmlRecords('big.xml', chunks(), (p) => p.at(-1) === 'wp:comment', () => {
      firstAt ??= read;
      comments++;
    });
    expect(comments).toBe(POSTS * PER_POST);
    expect(read).toBeGreaterThan(40);
    expect(firstAt).toBe(1);

    const res = await runCommand(['import', 'comments', '--site', 'xa-lon', '--format', 'wxr', file], { env: t.databaseEnv as Record<string, string> });
    expect(res.err).toEqual([]);
    expect(res.out.at(-1)).toBe(`Đã nhập: ${POSTS * PER_POST} mới, 0 đã có.`);
    expect(Number(await t.sql.value('SELECT COUNT(*) FROM comments'))).toBe(POSTS * PER_POST);
    expect(Number(await t.sql.value("SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL"))).toBe((POSTS * PER_POST * 4) / 5);
    // Replies of replies are attached to the comment that started them: one level deep.
    expect(Number(await t.sql.value('SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id WHERE p.parent_id IS NOT NULL'))).toBe(0);
    // Counters equal rows: approved top-level plus approved replies of approved comments.
    const visible = Number(
      await t.sql.value(`SELECT COUNT(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
        WHERE c.status = 'approved' AND (c.parent_id IS NULL OR p.status = 'approved')`),
    );
    expect(Number(await t.sql.value('SELECT SUM(approved) FROM comment_threads'))).toBe(visible);
    expect(Number(await t.sql.value('SELECT COUNT(*) FROM comment_threads'))).toBe(POSTS);
    expect(await t.sql.value("SELECT COUNT(*) FROM comments WHERE content LIKE '%10.0.%' OR ip_hash IS NOT NULL")).toBe(0);
  }, 120_000);
});
