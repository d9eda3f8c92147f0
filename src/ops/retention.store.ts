/** What a retention pass erased: rows whose IP hash and user agent were set to null, per kind of row. */
export interface RetentionErased {
  ballots: number;
  comments: number;
  /** Survey responses (their IP hashes and user agents, as ballots'). */
  surveyResponses: number;
}

/** What the retention job needs from storage. */
export interface RetentionStore {
  /**
   * Erases the IP hash and user agent of every ballot, survey response and comment created before `cutoff` (epoch ms),
   * keeping the rows themselves (results, the one-vote-per-voter check, discussions). Works in short
   * batches, each committed on its own, so writers never wait long and a pass that stops half-way keeps
   * what it erased (the next pass finishes it). Checks `signal` between batches and throws its reason
   * once it is aborted. Counts only rows it changed: a second pass with the same cutoff erases nothing.
   */
  eraseBefore(cutoff: number, opts?: { signal?: AbortSignal | undefined }): Promise<RetentionErased>;
}
