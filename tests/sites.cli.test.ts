import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/sqlite/open.js';
import { dbFingerprint } from './helpers/dbState.js';
import { tempDatabase } from './helpers/app.js';

async function cli(file: string, ...args: string[]) {
  const r = await runCommand(args, { file });
  return { ...r, err: r.err.join('\n') };
}

function setup() {
  const { file, dir, db } = tempDatabase();
  db.close();
  const csv = (name: string, text: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const read = <T>(fn: (db: ReturnType<typeof openDatabase>) => T): T => {
    const db = openDatabase(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return { file, csv, read };
}

/** Communes of a district, as an IT centre keeps them in a spreadsheet (saved as CSV UTF-8, with BOM). */
const COMMUNES = [
  'id,name,origins,timezone',
  'xa-tien-ky,Cổng thông tin điện tử xã Tiên Kỳ,https://tienky.tienphuoc.quangnam.gov.vn,',
  'xa-tien-son,"Cổng thông tin điện tử xã Tiên Sơn","https://tienson.tienphuoc.quangnam.gov.vn; http://tienson.local:8080",Asia/Ho_Chi_Minh',
  '',
  'xa-tien-ha,Xã Tiên Hà,https://tienha.tienphuoc.quangnam.gov.vn https://tienha.vn,Asia/Bangkok',
].join('\r\n');

describe('ykien sites …', () => {
  it('imports a CSV of communes: the dry run writes nothing, the import creates them all, each audited as "cli"', async () => {
    const s = setup();
    const file = s.csv('xa.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(COMMUNES.normalize('NFD'), 'utf8')]));
    const before = s.read(dbFingerprint);
    const dry = await cli(s.file, 'sites', 'import', file, '--dry-run');
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.out).toEqual([
      'line 2: create xa-tien-ky',
      'line 3: create xa-tien-son',
      'line 5: create xa-tien-ha',
      'Dry run: would create 3, update 0, leave 0 unchanged. Nothing was written.',
    ]);
    expect(s.read(dbFingerprint)).toBe(before);

    const run = await cli(s.file, 'sites', 'import', file);
    expect(run.code).toBe(0);
    expect(run.out.at(-1)).toBe(`Imported ${file}: created 3, updated 0, unchanged 0.`);
    const sites = s.read((db) => db.prepare('SELECT id, name, origins, timezone FROM sites ORDER BY id').all());
    expect(sites).toEqual([
      { id: 'xa-tien-ha', name: 'Xã Tiên Hà', origins: '["https://tienha.tienphuoc.quangnam.gov.vn","https://tienha.vn"]', timezone: 'Asia/Bangkok' },
      { id: 'xa-tien-ky', name: 'Cổng thông tin điện tử xã Tiên Kỳ', origins: '["https://tienky.tienphuoc.quangnam.gov.vn"]', timezone: 'Asia/Ho_Chi_Minh' },
      { id: 'xa-tien-son', name: 'Cổng thông tin điện tử xã Tiên Sơn', origins: '["https://tienson.tienphuoc.quangnam.gov.vn","http://tienson.local:8080"]', timezone: 'Asia/Ho_Chi_Minh' },
    ]);
    // Typed with combining marks in the file, stored in NFC like the API stores it.
    expect((sites[0] as { name: string }).name).toBe('Xã Tiên Hà'.normalize('NFC'));
    const audit = s.read((db) => db.prepare("SELECT actor, actor_id, action, target_id FROM audit_log ORDER BY id").all());
    expect(audit).toEqual(['xa-tien-ky', 'xa-tien-son', 'xa-tien-ha'].map((id) => ({ actor: 'cli', actor_id: 'cli', action: 'site.create', target_id: id })));

    const list = await cli(s.file, 'sites', 'list');
    expect(list.out).toHaveLength(3);
    expect(list.out[1]).toMatch(/^xa-tien-ky\s+Asia\/Ho_Chi_Minh\s+Cổng thông tin điện tử xã Tiên Kỳ\s+origins: https:\/\/tienky\.tienphuoc\.quangnam\.gov\.vn$/);
  });

  it('reports every bad row with its line number and writes nothing', async () => {
    const s = setup();
    const file = s.csv('bad.csv', [
      'id,name,origins,timezone',
      'xa-tot,Xã Tốt,https://tot.vn,',
      '../etc,Xã Xấu,,',
      'xa-b,,https://b.vn/duong-dan,Mars/Olympus',
      'xa-tot,Xã Tốt lần hai,,',
      'xa-c,"Tên có',
      'hai dòng",,',
      'xa-d,Xã D,https://d.vn,,thừa',
    ].join('\n'));
    const before = s.read(dbFingerprint);
    const res = await cli(s.file, 'sites', 'import', file, '--dry-run');
    expect(res.code).toBe(1);
    expect(res.out).toEqual([]);
    const lines = res.err.split('\n');
    expect(lines[0]).toBe('error: 7 problem(s) in the file; nothing was written.');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}line 3 \(\.\.\/etc\): id: may contain only/),
      '  line 4 (xa-b): name: must not be empty',
      expect.stringMatching(/^ {2}line 4 \(xa-b\): origins\.0: must be an origin such as/),
      expect.stringMatching(/^ {2}line 4 \(xa-b\): timezone: must be an IANA time zone/),
      '  line 5 (xa-tot): id: repeats the site of line 2',
      expect.stringMatching(/^ {2}line 6 \(xa-c\): name: must not contain control characters/),
      '  line 8: csv: 5 cell(s), but the header has 4',
    ]);
    expect(s.read(dbFingerprint)).toBe(before);
    // The same without --dry-run: still all or nothing.
    expect((await cli(s.file, 'sites', 'import', file)).code).toBe(1);
    expect(s.read(dbFingerprint)).toBe(before);
  });

  it('refuses a bad header, a broken quote, an empty or missing file', async () => {
    const s = setup();
    const cases: [string, RegExp][] = [
      ['id,ten,origins\nxa-a,Xã A,', /line 1: header: unknown column\(s\) "ten"; missing column\(s\) name; the columns are id,name,origins,timezone/],
      ['id,name\nxa-a,"Xã A\n', /line \d+: csv: Quote Not Closed/],
      ['', /the file is empty/],
    ];
    for (const [text, message] of cases) {
      const res = await cli(s.file, 'sites', 'import', s.csv('x.csv', text));
      expect(res.code).toBe(1);
      expect(res.err).toMatch(message);
    }
    const missing = await cli(s.file, 'sites', 'import', '/khong/co/file.csv');
    expect(missing.code).toBe(64);
    expect(missing.err).toMatch(/cannot read \/khong\/co\/file\.csv/);
    expect((await cli(s.file, 'sites', 'import')).code).toBe(64);
    expect(s.read((db) => db.prepare('SELECT COUNT(*) FROM sites').pluck().get())).toBe(0);
  });

  it('refuses existing ids unless --update, which changes only what the file gives and shows it in the dry run', async () => {
    const s = setup();
    await cli(s.file, 'sites', 'import', s.csv('a.csv', 'id,name,origins,timezone\nxa-a,Xã A,https://a.vn,Asia/Bangkok\nxa-b,Xã B,https://b.vn,\n'));
    const next = s.csv('b.csv', 'id,name,origins,timezone\nxa-a,Xã A (mới),,\nxa-b,Xã B,https://b.vn https://b2.vn,\nxa-c,Xã C,,\n');
    const refused = await cli(s.file, 'sites', 'import', next);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('line 2 (xa-a): id: site "xa-a" already exists (add --update to update it from the file)');
    expect(refused.err).toContain('line 3 (xa-b): id: site "xa-b" already exists');
    const dry = await cli(s.file, 'sites', 'import', next, '--update', '--dry-run');
    expect(dry.out).toEqual([
      'line 2: update xa-a: name Xã A → Xã A (mới)',
      'line 3: update xa-b: origins https://b.vn → https://b.vn https://b2.vn',
      'line 4: create xa-c',
      'Dry run: would create 1, update 2, leave 0 unchanged. Nothing was written.',
    ]);
    expect((await cli(s.file, 'sites', 'import', next, '--update')).code).toBe(0);
    const rows = s.read((db) => db.prepare('SELECT id, name, origins, timezone FROM sites ORDER BY id').all());
    expect(rows).toEqual([
      { id: 'xa-a', name: 'Xã A (mới)', origins: '["https://a.vn"]', timezone: 'Asia/Bangkok' },
      { id: 'xa-b', name: 'Xã B', origins: '["https://b.vn","https://b2.vn"]', timezone: 'Asia/Ho_Chi_Minh' },
      { id: 'xa-c', name: 'Xã C', origins: '[]', timezone: 'Asia/Ho_Chi_Minh' },
    ]);
    expect((await cli(s.file, 'sites', 'import', next, '--update')).out.slice(0, 3)).toEqual(['line 2: unchanged xa-a', 'line 3: unchanged xa-b', 'line 4: unchanged xa-c']);
  });

  it('deletes a site only with --confirm SITE, saying first what it holds', async () => {
    const s = setup();
    await cli(s.file, 'sites', 'import', s.csv('a.csv', 'id,name\nxa-a,Xã A\nxa-b,Xã B\n'));
    await cli(s.file, 'keys', 'create', '--role', 'moderator', '--site', 'xa-a', '--name', 'Biên tập');
    const asked = await cli(s.file, 'sites', 'delete', 'xa-a');
    expect(asked.code).toBe(64);
    expect(asked.err).toBe(
      'error: site xa-a holds 0 poll(s) with 0 ballot(s), 0 survey(s) with 0 response(s), 0 comment(s), 0 counted page(s), 1 moderator key(s) scoped to it, 0 webhook(s). To delete it with all of that, run: sites delete xa-a --confirm xa-a',
    );
    expect((await cli(s.file, 'sites', 'delete', 'xa-a', '--confirm', 'xa-b')).code).toBe(64);
    const done = await cli(s.file, 'sites', 'delete', 'xa-a', '--confirm', 'xa-a');
    expect(done.code).toBe(0);
    expect(done.out).toEqual(['Deleted site xa-a and 0 poll(s) with 0 ballot(s), 0 survey(s) with 0 response(s), 0 comment(s), 0 counted page(s), 1 moderator key(s) scoped to it, 0 webhook(s). Its audit log entries are kept.']);
    expect(s.read((db) => db.prepare('SELECT id FROM sites').pluck().all())).toEqual(['xa-b']);
    expect(s.read((db) => db.prepare('SELECT COUNT(*) FROM api_keys').pluck().get())).toBe(0);
    expect(s.read((db) => db.prepare("SELECT actor_id FROM audit_log WHERE action = 'site.delete'").pluck().all())).toEqual(['cli']);
    const unknown = await cli(s.file, 'sites', 'delete', 'khong-co', '--confirm', 'khong-co');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('error: Site "khong-co" was not found.');
  });

  it('adds and removes origins, explaining bad ones', async () => {
    const s = setup();
    await cli(s.file, 'sites', 'import', s.csv('a.csv', 'id,name,origins\nxa-a,Xã A,https://a.vn\n'));
    expect((await cli(s.file, 'sites', 'origins', 'add', 'xa-a', 'https://a.vn', 'https://b.vn')).out).toEqual([
      'Site xa-a: added https://b.vn; already listed: https://a.vn.',
      'Origins now: https://a.vn https://b.vn',
    ]);
    expect((await cli(s.file, 'sites', 'origins', 'remove', 'xa-a', 'https://a.vn', 'https://c.vn')).out).toEqual([
      'Site xa-a: removed https://a.vn; not listed: https://c.vn.',
      'Origins now: https://b.vn',
    ]);
    const bad = await cli(s.file, 'sites', 'origins', 'add', 'xa-a', 'https://b.vn/trang-chu');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: The request is not valid\.\n {2}add\.0: must be an origin such as https:\/\/tienngoc\.quangnam\.gov\.vn/);
    expect((await cli(s.file, 'sites', 'origins', 'add', 'xa-a')).code).toBe(64);
    expect((await cli(s.file, 'sites', 'origins', 'replace', 'xa-a', 'https://b.vn')).code).toBe(64);
  });
});
