import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from '../cli/context.js';
import type { CommentStatus } from '../comments/comments.store.js';
import { THREAD_KEYS, type ImportReport, type ThreadKeyMapping } from './comments.import.js';
import type { SourceFormat } from './source.js';
import { figuresById, parseFigures } from '../polls/polls.import.js';

const FORMATS: readonly SourceFormat[] = ['wxr', 'disqus', 'json'];
const FORMAT_NAMES: Record<SourceFormat, string> = { wxr: 'WordPress WXR', disqus: 'Disqus', json: 'JSON' };
/** The console's words for the statuses (console/i18n.ts). */
const STATUS_WORDS: [CommentStatus, string][] = [
  ['approved', 'đã duyệt'],
  ['pending', 'chờ duyệt'],
  ['spam', 'spam'],
  ['rejected', 'đã xóa'],
];

/** The report, in Vietnamese: what the file holds, what is left out and why, what was (or would be) stored. */
export function reportLines(r: ImportReport): string[] {
  const total = Object.values(r.byStatus).reduce((a, b) => a + b, 0);
  const statuses = STATUS_WORDS.filter(([s]) => r.byStatus[s]).map(([s, w]) => `${r.byStatus[s]} ${w}`);
  const lines = [
    `${r.dryRun ? 'Chạy thử — ' : ''}Nhập ý kiến từ ${r.file} (${FORMAT_NAMES[r.format]}) vào trang ${r.site}:`,
    `  ${r.threads} chủ đề; ${total} ý kiến${statuses.length ? `: ${statuses.join(', ')}` : ''}; trong đó ${r.replies} trả lời` +
      (r.flattened ? ` (${r.flattened} trả lời của trả lời, gắn vào ý kiến gốc)` : ''),
  ];
  if (r.dropped.email) lines.push(`  ${r.dropped.email} địa chỉ e-mail không hợp lệ đã bỏ đi (giữ ý kiến)`);
  if (r.dropped.address) lines.push(`  ${r.dropped.address} địa chỉ không hợp lệ hoặc dài quá đã bỏ đi (giữ ý kiến)`);
  if (r.skipped.length) {
    lines.push(`  Bỏ qua ${r.skipped.length} ý kiến:`);
    for (const s of r.skipped) lines.push(`    ${s.where} (mã ${s.sourceId}): ${s.reason}`);
  }
  lines.push(
    r.dryRun
      ? `Chạy thử: sẽ nhập ${r.inserted} mới, ${r.existing} đã có. Chưa ghi gì vào cơ sở dữ liệu.`
      : `Đã nhập: ${r.inserted} mới, ${r.existing} đã có.`,
  );
  return lines;
}

/**
 *   import comments --site S --format wxr|disqus|json FILE [--thread-key path|url|id|slug] [--dry-run]
 * One transaction per file; a rerun stores nothing twice; the audit log records "comment.import" as "cli".
 */
export const importCommands: Record<string, Command> = {
  'import comments': async ({ services, out }, args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { site: { type: 'string' }, format: { type: 'string' }, 'thread-key': { type: 'string' }, 'dry-run': { type: 'boolean' } },
    });
    const how = 'import comments --site S --format wxr|disqus|json FILE [--thread-key path|url|id|slug] [--dry-run]';
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError(`import comments needs one file: ${how}`);
    if (!values.site) throw new UsageError(`--site is required: ${how}`);
    const format = values.format as SourceFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be wxr, disqus or json: ${how}`);
    const threadKey = (values['thread-key'] ?? 'path') as ThreadKeyMapping;
    if (!THREAD_KEYS.includes(threadKey)) throw new UsageError(`--thread-key must be ${THREAD_KEYS.join(', ')}: ${how}`);
    const report = await services.imports.comments({ site: values.site, format, file, threadKey, dryRun: values['dry-run'] ?? false, actor: CLI });
    for (const line of reportLines(report)) out(line);
  },
  'import poll-results': async ({ services, out }, args) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { poll: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
    const how = 'import poll-results --poll ID FILE.csv|FILE.json [--dry-run]';
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError(`import poll-results needs one file: ${how}`);
    if (!values.poll) throw new UsageError(`--poll is required: ${how}`);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const before = await services.polls.adminView(values.poll);
    const figures = figuresById(path.basename(file), parseFigures(path.basename(file), text), before.options);
    const dryRun = values['dry-run'] ?? false;
    const after = dryRun ? undefined : await services.polls.setStartingFigures(values.poll, { figures }, CLI);
    out(`${dryRun ? 'Chạy thử — ' : ''}Số phiếu ban đầu (nhập từ hệ thống cũ) của cuộc bình chọn ${before.id} "${before.question}":`);
    for (const o of before.options) {
      const old = o.id in figures ? figures[o.id]! : 0;
      const result = after?.results.options.find((x) => x.id === o.id);
      out(`  ${o.label}: ${old} phiếu ban đầu${result ? ` → tổng ${result.votes} (${result.percent}%)` : ''}`);
    }
    out(dryRun ? 'Chạy thử: chưa ghi gì vào cơ sở dữ liệu.' : `Đã lưu. Tổng cộng: ${after!.results.total} Phiếu.`);
  },
};
