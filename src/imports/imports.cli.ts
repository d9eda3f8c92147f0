import { parseArgs } from 'node:util';
import { CLI } from '../audit/actor.js';
import { UsageError, type Command } from '../cli/context.js';
import type { CommentStatus } from '../comments/comments.store.js';
import { THREAD_KEYS, type ImportReport, type ThreadKeyMapping } from './comments.import.js';
import type { SourceFormat } from './source.js';

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
};
