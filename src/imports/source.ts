import type { CommentStatus } from '../comments/comments.store.js';

/** A post (article) of an export file: what its thread key can be made of. */
export interface SourcePost {
  /** The file's own reference of the post (its record number, the Disqus thread id, the JSON key or url). */
  ref: string;
  link: string | null;
  /** The post's id in the old system (wp:post_id, the Disqus identifier). */
  id: string | null;
  slug: string | null;
  /** A thread key the file gives itself (JSON's `key`). */
  key: string | null;
  title: string | null;
}

/** A comment of an export file, as the file says it, before any of our rules. */
export interface SourceComment {
  sourceId: string;
  post: string;
  /** The file's id of the comment it answers (any depth), or null. */
  parentSourceId: string | null;
  name: string;
  email: string | null;
  address: string | null;
  /** The text, or the HTML (WXR and Disqus) it is made from. */
  content: { html: string } | { text: string };
  /** Epoch ms, or undefined when the file has no usable date. */
  createdAt: number | undefined;
  /** What the old system said, mapped (docs/import.md); `skip` with the reason for what is not a comment. */
  status: CommentStatus | { skip: string };
  /** Where it is in the file, for the report. */
  line: number;
}

export interface SourceFile {
  posts: Map<string, SourcePost>;
  comments: SourceComment[];
}

export type SourceFormat = 'wxr' | 'disqus' | 'json';
