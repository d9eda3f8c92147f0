import type { AuditRecord } from '../audit/audit.store.js';
import type { CommentRecord, NewComment } from '../comments/comments.store.js';

/** A comment of an export file, ready to store: its own id drawn, its parent named by the file's id. */
export interface ImportedComment {
  /** The comment's id in the file (wp:comment_id, Disqus dsq:id, the JSON id). */
  sourceId: string;
  /** The file's id of the top-level comment it answers (replies are one level deep here), or null. */
  parentSourceId: string | null;
  comment: Omit<NewComment, 'parentId'>;
}

export interface ImportBatch {
  siteId: string;
  /** "wxr", "disqus" or "json": source ids are unique within a site and a source. */
  source: string;
  /** Parents before their replies. */
  comments: readonly ImportedComment[];
}

export interface ImportOutcome {
  /** Stored now. */
  inserted: number;
  /** Already imported by an earlier run (left as they are, whatever moderators did since). */
  existing: number;
}

/** What the imports feature needs from storage. */
export interface ImportsStore {
  /** The source ids of `source` already imported into the site. */
  imported(siteId: string, source: string): Promise<Set<string>>;
  /**
   * Stores the batch in ONE transaction: each comment whose (site, source, sourceId) is not there yet, with
   * its parent found by source id (in this batch or an earlier import); each thread's visible count grows by
   * what `count` says for each stored comment (src/comments/counters.ts); `audit` is written once. Any
   * failure (a parent that is nowhere, a reply in another thread than its parent) rolls all of it back.
   */
  importComments(
    batch: ImportBatch,
    count: (comment: NewComment, parent: Pick<CommentRecord, 'status'> | undefined) => number,
    audit: (outcome: ImportOutcome) => AuditRecord,
  ): Promise<ImportOutcome>;
}
