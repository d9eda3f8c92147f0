import type { CommentStatus } from '../comments/comments.store.js';
import { exportDate } from './dates.js';
import type { SourceComment, SourceFile, SourcePost } from './source.js';
import { readXmlRecords } from './xml.js';

/** WordPress's comment_approved, in our words (docs/import.md): trash is kept as rejected, so nothing is lost. */
const STATUS: Record<string, CommentStatus> = { '1': 'approved', approve: 'approved', '0': 'pending', hold: 'pending', spam: 'spam', trash: 'rejected', 'post-trashed': 'rejected' };

/**
 * A WordPress export (WXR, "Tools → Export"): each <item> is a post with its <wp:comment>s. Dates are
 * comment_date_gmt, or comment_date in the site's zone when WordPress wrote the GMT one as zeros. The
 * author's IP and website are not read.
 */
export async function readWxr(file: string, chunks: AsyncIterable<string>, tz: string): Promise<SourceFile> {
  const posts = new Map<string, SourcePost>();
  const comments: SourceComment[] = [];
  await readXmlRecords(
    file,
    chunks,
    (path) => (path.at(-1) === 'item' && path.at(-2) === 'channel') || (path.at(-1) === 'wp:comment' && path.at(-2) === 'item'),
    (r) => {
      const f = (k: string) => r.fields.get(k)?.trim() || null;
      if (r.name === 'item') {
        posts.set(String(r.seq), { ref: String(r.seq), link: f('link'), id: f('wp:post_id'), slug: f('wp:post_name'), key: null, title: f('title') });
        return;
      }
      const type = f('wp:comment_type') ?? 'comment';
      const approved = f('wp:comment_approved') ?? '1';
      const parent = f('wp:comment_parent');
      comments.push({
        sourceId: f('wp:comment_id') ?? `line-${r.line}`,
        post: String(r.within),
        parentSourceId: parent && parent !== '0' ? parent : null,
        name: f('wp:comment_author') ?? '',
        email: f('wp:comment_author_email'),
        address: null,
        content: { html: r.fields.get('wp:comment_content') ?? '' },
        createdAt: exportDate(f('wp:comment_date_gmt') ?? undefined, 'UTC') ?? exportDate(f('wp:comment_date') ?? undefined, tz),
        status: type !== 'comment' ? { skip: `${type} (không phải ý kiến)` } : STATUS[approved] ?? 'pending',
        line: r.line,
      });
    },
  );
  return { posts, comments };
}
