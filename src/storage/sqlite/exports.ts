import type { BallotExportRecord, BallotSlot, ExportsStore } from '../../exports/exports.store.js';
import { SLOT_MS } from '../../exports/exports.store.js';
import type { Db } from './open.js';
import { toBallotExport, type BallotExportRow } from '../rows/ballots.js';
import { toCommentExport, type CommentExportRow } from '../rows/comments.js';
import { openReader } from './reader.js';
import { sitesFilter } from './util.js';

// Choices come in the primary key's order and are put in option order in JS: an ORDER BY inside the
// aggregate runs a sorter per ballot, which a 200,000-ballot export felt.
const BALLOTS = `
  SELECT b.id, b.created_at, b.voter_hash, b.ip_hash, b.user_agent,
    (SELECT json_group_array(c.option_id) FROM ballot_choices c WHERE c.ballot_id = b.id) AS option_ids
  FROM ballots b WHERE b.poll_id = ? ORDER BY b.created_at, b.id`;
const POSITIONS = 'SELECT id, position FROM poll_options WHERE poll_id = ?';

const COMMENTS = `
  SELECT id, site_id, thread_key, parent_id, status, spam_reason, name, address, email, content, ip_hash, user_agent,
         created_at, updated_at, moderated_at, moderated_by
  FROM comments
  WHERE (@all = 1 OR site_id IN (SELECT value FROM json_each(@sites))) AND (@status IS NULL OR status = @status)
    AND created_at >= @from AND created_at < @to
  ORDER BY created_at, id`;

type BallotRow = BallotExportRow<string>;
const toBallot = (r: BallotRow, positions: ReadonlyMap<string, number>): BallotExportRecord => {
  const optionIds = JSON.parse(r.option_ids) as string[];
  if (optionIds.length > 1) optionIds.sort((a, b) => positions.get(a)! - positions.get(b)!);
  return toBallotExport(r, optionIds);
};
/**
 * Rows read on a read-only connection of its own (see reader.ts), opened when iteration starts, in one
 * read transaction: the snapshot, across every statement `read` runs, while WAL lets writers carry on.
 * The connection closes (ending the transaction) when the rows run out or the consumer stops early.
 * An in-memory database has no second connection, so it is read as it is.
 */
export async function* inSnapshot<T>(db: Db, read: (conn: Db) => Iterable<T>): AsyncGenerator<T> {
  const reader = openReader(db);
  try {
    if (reader.conn !== db) reader.conn.exec('BEGIN');
    yield* read(reader.conn);
  } finally {
    reader.close();
  }
}

export function sqliteExportsStore(db: Db): ExportsStore {
  const slots = db.prepare(
    `SELECT created_at / ${SLOT_MS} AS slot, COUNT(*) AS n FROM ballots
     WHERE poll_id = ? AND created_at >= ? AND created_at < ? GROUP BY slot ORDER BY slot`,
  );
  return {
    ballots: (pollId) =>
      inSnapshot(db, function* (conn) {
        const positions = new Map(conn.prepare(POSITIONS).raw().all(pollId) as [string, number][]);
        for (const r of conn.prepare(BALLOTS).iterate(pollId) as IterableIterator<BallotRow>) yield toBallot(r, positions);
      }),
    comments: (f) =>
      inSnapshot(db, function* (conn) {
        const params = { ...sitesFilter(f.sites), status: f.status ?? null, from: f.from ?? 0, to: f.to ?? Number.MAX_SAFE_INTEGER };
        for (const r of conn.prepare(COMMENTS).iterate(params) as IterableIterator<CommentExportRow>) yield toCommentExport(r);
      }),
    async ballotSlots(pollId, from, to): Promise<BallotSlot[]> {
      const rows = slots.all(pollId, from, to) as { slot: number; n: number }[];
      return rows.map((r) => ({ start: r.slot * SLOT_MS, ballots: r.n }));
    },
  };
}
