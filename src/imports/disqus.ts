import { exportDate } from './dates.js';
import type { SourceComment, SourceFile, SourcePost } from './source.js';
import { readXmlRecords } from './xml.js';

const yes = (v: string | undefined) => v?.trim().toLowerCase() === 'true';

/**
 * A Disqus export (Admin → Moderate → Export): <thread dsq:id> elements with the page's link and identifier,
 * <post dsq:id> elements naming their thread and parent. Deleted posts are kept as rejected, spam as spam,
 * a post Disqus had not approved as pending. The author's IP is not read.
 */
export async function readDisqus(file: string, chunks: AsyncIterable<string>, tz: string): Promise<SourceFile> {
  const posts = new Map<string, SourcePost>();
  const comments: SourceComment[] = [];
  await readXmlRecords(
    file,
    chunks,
    (path) => path.length === 2 && (path[1] === 'thread' || path[1] === 'post'),
    (r) => {
      const f = (k: string) => r.fields.get(k)?.trim() || null;
      const id = f('@dsq:id') ?? `line-${r.line}`;
      if (r.name === 'thread') {
        const link = f('link');
        let slug: string | null = null;
        try {
          slug = link ? new URL(link).pathname.split('/').filter(Boolean).at(-1) ?? null : null;
        } catch {
          slug = null;
        }
        posts.set(id, { ref: id, link, id: f('id'), slug, key: null, title: f('title') });
        return;
      }
      comments.push({
        sourceId: id,
        post: f('thread@dsq:id') ?? '',
        parentSourceId: f('parent@dsq:id'),
        name: f('author/name') ?? f('author/username') ?? '',
        email: f('author/email'),
        address: null,
        content: { html: r.fields.get('message') ?? '' },
        createdAt: exportDate(f('createdAt') ?? undefined, tz),
        status: yes(f('isSpam') ?? undefined) ? 'spam' : yes(f('isDeleted') ?? undefined) ? 'rejected' : f('isApproved') === 'false' ? 'pending' : 'approved',
        line: r.line,
      });
    },
  );
  return { posts, comments };
}
