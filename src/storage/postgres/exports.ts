import Cursor from 'pg-cursor';
import type { BallotExportRecord, BallotSlot, ExportsStore } from '../../exports/exports.store.js';
import { SLOT_MS } from '../../exports/exports.store.js';
import { unavailable } from '../../errors.js';
import type { PgDb } from './db.js';
import { toBallotExport, type BallotExportRow } from '../rows/ballots.js';
import { toCommentExport, type CommentExportRow } from '../rows/comments.js';
import { isUnavailable } from './pool.js';

/** Rows fetched from the cursor per round trip: enough to keep the trips few, few enough to keep memory flat. */
const BATCH = 1_000;

/**
 * How long an export's snapshot may stay open, in all: a slow client downloading 200,000 ballots takes
 * minutes, far past the pool's statement and idle-in-transaction timeouts, which are meant for requests.
 */
const EXPORT_MAX_MS = 30 * 60_000;

// Ties in time go by id in byte order (COLLATE "C"), as on SQLite, whatever the database's collation.
const BALLOTS = `
  SELECT b.id, b.created_at, b.voter_hash, b.ip_hash, b.user_agent,
    ARRAY(SELECT c.option_id FROM ballot_choices c JOIN poll_options o ON o.id = c.option_id
          WHERE c.ballot_id = b.id ORDER BY o.position) AS option_ids
  FROM ballots b WHERE b.poll_id = $1 ORDER BY b.created_at, b.id`;

const COMMENTS = `
  SELECT id, site_id, thread_key, parent_id, status, spam_reason, name, address, email, content, ip_hash, user_agent,
         created_at, updated_at, moderated_at, moderated_by
  FROM comments
  WHERE ($1::text[] IS NULL OR site_id = ANY($1)) AND ($2::text IS NULL OR status = $2)
    AND created_at >= $3 AND created_at < $4
  ORDER BY created_at, id COLLATE "C"`;

const SLOTS = `
  SELECT created_at / ${SLOT_MS} AS slot, COUNT(*)::int AS n FROM ballots
  WHERE poll_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY slot ORDER BY slot`;

type BallotRow = BallotExportRow<string[]>;
const toBallot = (r: BallotRow): BallotExportRecord => toBallotExport(r, r.option_ids);

/**
 * A cursor whose client-side read timeout covers the whole export, and is cleared when it ends: node-postgres
 * arms `query_timeout` when a query is submitted and clears it through the query's callback, which a cursor
 * never calls, so without this every export longer than the pool's timeout would fail half-way.
 */
class ExportCursor<R> extends Cursor<R> {
  readonly query_timeout = EXPORT_MAX_MS;
  callback?: () => void;
  finish(): void {
    this.callback?.();
  }
}

/**
 * Rows of one query read in one snapshot (REPEATABLE READ, READ ONLY: writers are not held up, and what
 * they commit meanwhile is not in the stream), through a cursor in batches, on a connection of the pool
 * taken when iteration starts. The transaction ends and the connection goes back when the rows run out,
 * the consumer stops early (`return()`), or anything fails; a connection that failed is discarded.
 */
export async function* inSnapshot<R, T>(db: PgDb, sql: string, params: unknown[], map: (row: R) => T): AsyncGenerator<T> {
  const c = await db.pool.connect().catch((err: unknown) => {
    throw isUnavailable(err) ? unavailable() : err;
  });
  // A failed connection or cursor is not closed politely (its answer would never come): it is discarded.
  let broken = false;
  const onError = () => {
    broken = true;
  };
  c.on('error', onError);
  const cursor = new ExportCursor<R>(sql, params);
  const failed = (err: unknown) => {
    broken = true;
    return isUnavailable(err) ? unavailable() : err;
  };
  try {
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await c.query(`SET LOCAL statement_timeout = ${EXPORT_MAX_MS}; SET LOCAL idle_in_transaction_session_timeout = ${EXPORT_MAX_MS}`);
      c.query(cursor);
    } catch (err) {
      throw failed(err);
    }
    for (;;) {
      let rows: R[];
      try {
        rows = await cursor.read(BATCH);
      } catch (err) {
        throw failed(err);
      }
      if (rows.length === 0) return;
      for (const r of rows) yield map(r);
    }
  } finally {
    cursor.finish();
    if (!broken) {
      try {
        await cursor.close();
        await c.query('ROLLBACK');
      } catch {
        broken = true;
      }
    }
    c.removeListener('error', onError);
    c.release(broken);
  }
}

export function pgExportsStore(db: PgDb): ExportsStore {
  return {
    ballots: (pollId) => inSnapshot(db, BALLOTS, [pollId], toBallot),
    comments: (f) => inSnapshot(db, COMMENTS, [f.sites, f.status ?? null, f.from ?? 0, f.to ?? Number.MAX_SAFE_INTEGER], toCommentExport),
    async ballotSlots(pollId, from, to): Promise<BallotSlot[]> {
      const rows = await db.rows<{ slot: number; n: number }>(SLOTS, [pollId, from, to]);
      return rows.map((r) => ({ start: r.slot * SLOT_MS, ballots: r.n }));
    },
  };
}
