import { z } from 'zod';
import { AppError } from '../errors.js';
import { STATUSES } from '../comments/comments.schema.js';
import { exportDate } from './dates.js';
import { malformed } from './xml.js';
import type { SourceComment, SourceFile } from './source.js';

const sourceId = z.union([
  z.string().trim().min(1).max(200).refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters'),
  z.number().int().transform(String),
]);

/** The JSON import shape (docs/import.md): threads, each with its comments; every text is plain text. */
export const importJsonSchema = z.strictObject({
  threads: z.array(
    z
      .strictObject({
        url: z.string().max(2000).optional(),
        key: z.string().max(400).optional(),
        title: z.string().max(500).optional(),
        comments: z.array(
          z.strictObject({
            id: sourceId,
            parentId: z.union([sourceId, z.null()]).optional(),
            name: z.string().max(2000),
            email: z.union([z.string().max(2000), z.null()]).optional(),
            address: z.union([z.string().max(2000), z.null()]).optional(),
            content: z.string(),
            createdAt: z.string().max(64),
            status: z.enum(STATUSES).default('approved'),
          }),
        ),
      })
      .refine((t) => t.url !== undefined || t.key !== undefined, 'needs a url or a key'),
  ),
});

/** Whether JSON.parse stops at a fault in `s` itself, not just at its end (a prefix of a good file ends too early). */
function faulty(s: string): boolean {
  try {
    JSON.parse(s);
    return false;
  } catch (e) {
    const m = (e as Error).message;
    const at = /at position (\d+)/.exec(m);
    return !/Unexpected end of JSON input|Unterminated string/.test(m) && !(at && Number(at[1]) >= s.length);
  }
}

/** Where JSON.parse found the fault: Node 20's messages do not always say, so the shortest faulty prefix does. */
function faultOffset(text: string): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (faulty(text.slice(0, mid + 1))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function lineColumn(text: string, position: number) {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** A JSON import file, read whole (JSON has no well-kept streaming reader to speak of; the XML formats stream). */
export function readJson(file: string, text: string, tz: string): SourceFile {
  const body = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    const message = (e as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
    const { line, column } = lineColumn(body, faulty(body) ? faultOffset(body) : body.length);
    throw malformed(file, line, column, message);
  }
  const parsed = importJsonSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').slice(1) || '(file)'}: ${i.message}`);
    throw new AppError(400, 'import_invalid', `${file} is not in the JSON import shape (docs/import.md): ${issues.join('; ')}. Nothing was imported.`);
  }
  const posts: SourceFile['posts'] = new Map();
  const comments: SourceComment[] = [];
  parsed.data.threads.forEach((t, i) => {
    const ref = `threads[${i}]`;
    posts.set(ref, { ref, link: t.url ?? null, id: null, slug: null, key: t.key ?? null, title: t.title ?? null });
    t.comments.forEach((c, j) =>
      comments.push({
        sourceId: c.id,
        post: ref,
        parentSourceId: c.parentId ?? null,
        name: c.name,
        email: c.email ?? null,
        address: c.address ?? null,
        content: { text: c.content },
        createdAt: exportDate(c.createdAt, tz),
        status: c.status,
        line: j, // JSON has no lines to speak of: the comment's place in its thread
      }),
    );
  });
  return { posts, comments };
}
