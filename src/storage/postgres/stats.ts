import type { CommentStatus } from '../../comments/comments.schema.js';
import type { StatsStore } from '../../ops/stats.store.js';
import type { PgDb } from './db.js';

export function pgStatsStore(db: PgDb): StatsStore {
  return {
    async commentsByStatus() {
      const rows = await db.rows<{ status: CommentStatus; n: number }>('SELECT status, COUNT(*)::int AS n FROM comments GROUP BY status');
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    // The polls' counters are kept in every ballot's transaction: no scan of the ballots. SUM is NUMERIC: cast back.
    async ballots() {
      const [row] = await db.rows<{ n: number }>('SELECT COALESCE(SUM(total_voters), 0)::bigint AS n FROM polls');
      return row?.n ?? 0;
    },
  };
}
