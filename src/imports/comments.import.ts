import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { pathKey } from '../api/threadKey.js';
import type { CommentStatus, NewComment } from '../comments/comments.store.js';
import { insertDelta } from '../comments/counters.js';
import { AppError } from '../errors.js';
import type { SitesService } from '../sites/sites.service.js';
import { newId } from '../util/ids.js';
import { optionalText, pageKey, text } from '../validation/validate.js';
import { readDisqus } from './disqus.js';
import { htmlToTextConverter } from './html.js';
import type { ImportedComment, ImportsStore } from './imports.store.js';
import { readJson } from './json.js';
import type { SourceComment, SourceFile, SourceFormat, SourcePost } from './source.js';
import { readWxr } from './wxr.js';

/** What a post's thread key is made of: its link's path (what the widget uses by default), the whole link, its old id or its slug. */
export const THREAD_KEYS = ['path', 'url', 'id', 'slug'] as const;
export type ThreadKeyMapping = (typeof THREAD_KEYS)[number];

/** Our limits, the same as a comment posted through the widget (comments.schema.ts). */
export const LIMITS = { name: 100, address: 200, content: 5000 } as const;
const contentText = text({ max: LIMITS.content, multiline: true });
const addressText = optionalText({ max: LIMITS.address });
const nameText = text({ max: LIMITS.name });
const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
// Old systems kept what our forms refuse: control characters (but tab and new line) are dropped, not refused.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const ANONYMOUS = 'Khách';

export interface Skipped {
  sourceId: string;
  where: string;
  reason: string;
}

/** What an import did, or (dry run) would do. */
export interface ImportReport {
  file: string;
  format: SourceFormat;
  site: string;
  dryRun: boolean;
  threads: number;
  /** Comments the file holds that are ours to store (all but the skipped), by status. */
  byStatus: Record<CommentStatus, number>;
  replies: number;
  /** Replies to replies, stored as replies to the comment that started the conversation (ours go one level deep). */
  flattened: number;
  /** E-mail addresses or addresses the file had that our rules refuse: the comment is kept without them. */
  dropped: { email: number; address: number };
  skipped: Skipped[];
  /** Stored now (or, in a dry run, would be). */
  inserted: number;
  /** Imported by an earlier run: left as they are. */
  existing: number;
}

function threadKeyOf(post: SourcePost, mapping: ThreadKeyMapping): string | { skip: string } {
  let raw: string | null;
  if (post.key !== null) raw = post.key;
  else if (mapping === 'path' || mapping === 'url') {
    if (!post.link) return { skip: 'bài viết không có đường dẫn (link)' };
    try {
      // The base only serves links written as a path ("/2024/06/bai-viet"); a full link keeps its own.
      raw = mapping === 'path' ? pathKey(new URL(post.link, 'http://ykien.invalid')) : post.link;
    } catch {
      return { skip: `đường dẫn không hợp lệ: ${post.link}` };
    }
  } else {
    raw = mapping === 'id' ? post.id : post.slug;
    if (!raw) return { skip: `bài viết không có ${mapping === 'id' ? 'mã (id)' : 'slug'}` };
  }
  const key = pageKey.safeParse(raw);
  return key.success ? key.data : { skip: `khóa chủ đề ${JSON.stringify(raw.slice(0, 80))} không dùng được: ${key.error.issues[0]!.message}` };
}

async function readSource(file: string, format: SourceFormat, tz: string): Promise<SourceFile> {
  const name = path.basename(file);
  try {
    if (format === 'json') return readJson(name, await fs.promises.readFile(file, 'utf8'), tz);
    const chunks = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
    try {
      return await (format === 'wxr' ? readWxr : readDisqus)(name, chunks, tz);
    } finally {
      chunks.destroy();
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new AppError(400, 'import_unreadable', `Cannot read ${file}: ${(e as Error).message}`);
    throw e;
  }
}

const where = (format: SourceFormat, c: SourceComment) => (format === 'json' ? `chủ đề ${c.post}, ý kiến thứ ${c.line + 1}` : `dòng ${c.line}`);

/**
 * `ykien import comments`: a portal's old comments (WordPress WXR, Disqus, the JSON shape of docs/import.md)
 * checked with the rules of our own comments and stored in one transaction, each under its source id so a
 * rerun stores nothing twice. No IP from the file is kept, not even hashed (we did not see the request).
 */
export function importsService(store: ImportsStore, deps: { sites: SitesService; audit: AuditService; now: () => number }) {
  return {
    async comments(opts: { site: string; format: SourceFormat; file: string; threadKey: ThreadKeyMapping; dryRun: boolean; actor: ActorRef }): Promise<ImportReport> {
      const site = await deps.sites.require(opts.site);
      const source = await readSource(opts.file, opts.format, site.timezone);
      const htmlToText = await htmlToTextConverter();
      const report: ImportReport = {
        file: path.basename(opts.file),
        format: opts.format,
        site: site.id,
        dryRun: opts.dryRun,
        threads: 0,
        byStatus: { approved: 0, pending: 0, spam: 0, rejected: 0 },
        replies: 0,
        flattened: 0,
        dropped: { email: 0, address: 0 },
        skipped: [],
        inserted: 0,
        existing: 0,
      };
      const skip = (c: SourceComment, reason: string) => report.skipped.push({ sourceId: c.sourceId, where: where(opts.format, c), reason });

      const seen = new Map<string, SourceComment>();
      for (const c of source.comments) {
        const first = seen.get(c.sourceId);
        if (first)
          throw new AppError(400, 'import_duplicate_id', `${report.file}: comment id ${c.sourceId} appears twice (${where(opts.format, first)} and ${where(opts.format, c)}). Nothing was imported.`);
        seen.set(c.sourceId, c);
      }

      const keys = new Map<string, string | { skip: string }>();
      for (const [ref, post] of source.posts) keys.set(ref, threadKeyOf(post, opts.threadKey));

      // Each comment on its own: our rules, or the reason it is left out.
      const ready = new Map<string, { c: SourceComment; row: Omit<NewComment, 'parentId'> }>();
      for (const c of source.comments) {
        if (typeof c.status === 'object') {
          skip(c, c.status.skip);
          continue;
        }
        const key = keys.get(c.post);
        if (key === undefined) {
          skip(c, `không thuộc bài viết nào trong tệp (${c.post || 'không có'})`);
          continue;
        }
        if (typeof key === 'object') {
          skip(c, key.skip);
          continue;
        }
        if (c.createdAt === undefined) {
          skip(c, 'không có ngày giờ dùng được');
          continue;
        }
        const raw = ('html' in c.content ? htmlToText(c.content.html) : c.content.text.normalize('NFC')).replace(CONTROLS, '');
        const content = contentText.safeParse(raw);
        if (!content.success) {
          skip(c, [...raw.trim()].length > LIMITS.content ? `nội dung dài hơn ${LIMITS.content} ký tự` : raw.trim() ? `nội dung không dùng được: ${content.error.issues[0]!.message}` : 'nội dung trống');
          continue;
        }
        const name = nameText.safeParse([...c.name.replace(/[\u0000-\u001F\u007F]+/g, ' ').normalize('NFC').trim()].slice(0, LIMITS.name).join(''));
        const email = c.email ? emailSchema.safeParse(c.email) : undefined;
        if (email && !email.success) report.dropped.email++;
        const address = c.address ? addressText.safeParse(c.address.replace(CONTROLS, '')) : undefined;
        if (address && !address.success) report.dropped.address++;
        ready.set(c.sourceId, {
          c,
          row: {
            id: newId(12),
            siteId: site.id,
            threadKey: key,
            name: name.success ? name.data : ANONYMOUS,
            address: address?.success ? (address.data ?? null) : null,
            email: email?.success ? email.data : null,
            content: content.data,
            status: c.status,
            spamReason: c.status === 'spam' ? `import:${opts.format}` : null,
            ipHash: null,
            userAgent: null,
            repeatKey: null,
            createdAt: c.createdAt,
          },
        });
      }

      // Replies: to the comment that started the conversation, whatever the depth and wherever it is in the file.
      const roots: ImportedComment[] = [];
      const replies: ImportedComment[] = [];
      for (const { c, row } of ready.values()) {
        if (c.parentSourceId === null) {
          roots.push({ sourceId: c.sourceId, parentSourceId: null, comment: row });
          continue;
        }
        let parent = c.parentSourceId;
        let depth = 1;
        let reason: string | undefined;
        for (const visited = new Set([c.sourceId]); ; depth++) {
          const p = seen.get(parent);
          if (!p) reason = `trả lời ý kiến ${parent}, không có trong tệp`;
          else if (visited.has(parent)) reason = 'các ý kiến trả lời lẫn nhau thành vòng';
          else if (!ready.has(parent)) reason = `trả lời ý kiến ${parent}, ý kiến đó bị bỏ qua`;
          else if (p.post !== c.post) reason = `trả lời ý kiến ${parent} của bài viết khác`;
          if (reason || p!.parentSourceId === null) break;
          visited.add(parent);
          parent = p!.parentSourceId;
        }
        if (reason) {
          skip(c, reason);
          continue;
        }
        if (depth > 1) report.flattened++;
        replies.push({ sourceId: c.sourceId, parentSourceId: parent, comment: row });
      }
      // In file order, whichever pass found the reason.
      const order = new Map(source.comments.map((c, i) => [c.sourceId, i]));
      report.skipped.sort((a, b) => order.get(a.sourceId)! - order.get(b.sourceId)!);
      // Parents first: the store finds each reply's parent among what it stored before it.
      const batch = [...roots, ...replies];

      const known = await store.imported(site.id, opts.format);
      for (const item of batch) {
        report.byStatus[item.comment.status]++;
        if (item.parentSourceId !== null) report.replies++;
        if (known.has(item.sourceId)) report.existing++;
        else report.inserted++;
      }
      report.threads = new Set(batch.map((i) => i.comment.threadKey)).size;
      if (opts.dryRun) return report;

      const outcome = await store.importComments({ siteId: site.id, source: opts.format, comments: batch }, insertDelta, (o) =>
        deps.audit.entry({
          actor: opts.actor,
          action: 'comment.import',
          targetType: 'site',
          targetId: site.id,
          siteId: site.id,
          detail: { format: opts.format, file: report.file, threads: report.threads, inserted: o.inserted, existing: o.existing, skipped: report.skipped.length, byStatus: report.byStatus },
        }),
      );
      return { ...report, inserted: outcome.inserted, existing: outcome.existing };
    },
  };
}

export type ImportsService = ReturnType<typeof importsService>;
