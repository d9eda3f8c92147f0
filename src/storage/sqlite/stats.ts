import type { CommentStatus } from '../../comments/comments.schema.js';
import type { StatsStore } from '../../ops/stats.store.js';
import type { Db } from './open.js';

export function sqliteStatsStore(db: Db): StatsStore {
  const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM comments GROUP BY status');
  // The polls' counters are kept in every ballot's transaction: no scan of the ballots.
  const ballots = db.prepare('SELECT COALESCE(SUM(total_voters), 0) FROM polls').pluck();
  return {
    async commentsByStatus() {
      const rows = byStatus.all() as { status: CommentStatus; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    ballots: async () => ballots.get() as number,
  };
}
