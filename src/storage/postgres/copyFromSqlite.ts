import fs from 'node:fs';
import { AppError } from '../../errors.js';
import { PG_MIGRATIONS_DIR } from '../../paths.js';
import { openSqliteStorage } from '../sqlite/index.js';
import { writeAudit } from './audit.js';
import { migratePostgres } from './migrate.js';
import { createPool, type Client, type PoolOptions } from './pool.js';

/**
 * Every table the service keeps, parents before children. What is not here is the backend's own:
 * schema_migrations on both, rate_limits and jobs on PostgreSQL (shared state of running instances), and
 * login_attempts (throttling counts that expire within minutes).
 */
const TABLES = [
  'settings', // the hash salt lives here: without it no voter or reader could be recognised again
  'sites',
  'api_keys',
  'polls',
  'poll_options',
  'ballots',
  'ballot_choices',
  'audit_log',
  'captchas',
  'pow_used',
  'comments',
  'comment_threads',
  'comment_idempotency',
  'comment_imports',
  'site_webhooks',
  'mail_waiting', // comments not yet mailed, and mails not yet sent: the move loses none
  'mail_outbox',
  'counter_pages',
  'counter_sites',
  'counter_days',
  'counter_page_seen',
  'counter_visitors',
  'counter_new_pages',
  'counter_presence',
  'surveys',
  'survey_questions',
  'survey_choices',
  'survey_value_counts',
  'survey_responses',
  'survey_answers',
  'users', // password hashes and two-factor secrets are copied as they are: people keep signing in
  'user_sites',
  'sessions',
  'user_recovery_codes',
] as const;

/** Tables whose id PostgreSQL draws from a sequence: moved past the copied ids so new rows do not collide. */
const SERIAL_IDS = ['ballots', 'audit_log', 'survey_responses'];

/** Figures that must come out the same on both sides, besides the row counts. */
const COUNTERS: Record<string, string> = {
  'votes on options': 'SELECT COALESCE(SUM(votes), 0) AS n FROM poll_options',
  'voters of polls': 'SELECT COALESCE(SUM(total_voters), 0) AS n FROM polls',
  'choices of polls': 'SELECT COALESCE(SUM(total_choices), 0) AS n FROM polls',
  'approved comments of threads': 'SELECT COALESCE(SUM(approved), 0) AS n FROM comment_threads',
  'page views': 'SELECT COALESCE(SUM(views), 0) AS n FROM counter_pages',
  'site visits': 'SELECT COALESCE(SUM(visits), 0) AS n FROM counter_sites',
  'daily views': 'SELECT COALESCE(SUM(views), 0) AS n FROM counter_days',
  'survey responses': 'SELECT COALESCE(SUM(total_responses), 0) AS n FROM surveys',
  'answers to survey questions': 'SELECT COALESCE(SUM(answered), 0) AS n FROM survey_questions',
  'survey choices chosen': 'SELECT COALESCE(SUM(count), 0) AS n FROM survey_choices',
  'survey values given': 'SELECT COALESCE(SUM(count), 0) AS n FROM survey_value_counts',
};

/** Replies after the comments they answer, however deep the thread. */
const COMMENTS_IN_ORDER = `
  WITH RECURSIVE depth(id, d) AS (
    SELECT id, 0 FROM comments WHERE parent_id IS NULL
    UNION ALL SELECT c.id, depth.d + 1 FROM comments c JOIN depth ON c.parent_id = depth.id
  )
  SELECT comments.* FROM comments JOIN depth USING (id) ORDER BY depth.d, comments.created_at, comments.id`;

export interface CopyReport {
  tables: { table: string; rows: number }[];
  counters: { name: string; value: number }[];
  replaced: boolean;
}

/**
 * Copies a SQLite database into a PostgreSQL one (migrated first), in one PostgreSQL transaction: either
 * everything arrives and the counts and counters match, or nothing does. The SQLite side is read in one
 * snapshot. A target that already holds data is refused unless `replace`, so running it twice never
 * duplicates anything. Stop the service first: writes made during the copy would not be in it.
 */
export async function copySqliteToPostgres(
  sqliteFile: string,
  url: string,
  o: PoolOptions & { replace: boolean; now: number; progress?: (line: string) => void },
): Promise<CopyReport> {
  if (!fs.existsSync(sqliteFile)) throw new AppError(400, 'source_missing', `There is no SQLite database at ${sqliteFile}.`);
  const source = openSqliteStorage(sqliteFile);
  const pool = createPool(url, { ...o, statementTimeoutMs: Math.max(o.statementTimeoutMs, 600_000) });
  try {
    await migratePostgres(pool, PG_MIGRATIONS_DIR);
    const db = source.db;
    db.prepare('BEGIN').run(); // one read snapshot of the whole SQLite database
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const held = await countsOf(client);
      const nonEmpty = Object.entries(held).filter(([, n]) => n > 0);
      if (nonEmpty.length && !o.replace) {
        throw new AppError(409, 'target_not_empty', `The PostgreSQL database already holds data (${nonEmpty.map(([t, n]) => `${t} ${n}`).join(', ')}). Pass --replace to replace it with the copy.`);
      }
      if (nonEmpty.length) await client.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);

      const tables: CopyReport['tables'] = [];
      for (const table of TABLES) {
        const rows = await copyTable(db, client, table);
        tables.push({ table, rows });
        o.progress?.(`${table}: ${rows}`);
      }
      for (const table of SERIAL_IDS) {
        await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 1), (SELECT MAX(id) FROM ${table}) IS NOT NULL)`);
      }

      const copied = await countsOf(client);
      const wrong = tables.filter((t) => copied[t.table] !== t.rows);
      const counters: CopyReport['counters'] = [];
      for (const [name, sql] of Object.entries(COUNTERS)) {
        const want = Number((db.prepare(sql).get() as { n: number }).n);
        const got = Number((await client.query<{ n: number }>(sql)).rows[0]!.n);
        if (want !== got) wrong.push({ table: `${name} (${want} in SQLite, ${got} copied)`, rows: got });
        counters.push({ name, value: got });
      }
      if (wrong.length) throw new AppError(500, 'copy_mismatch', `The copy does not match the source: ${wrong.map((w) => w.table).join(', ')}. Nothing was written.`);

      await writeAudit(client, {
        at: o.now,
        actorName: 'cli',
        actorId: null,
        action: 'db.migrate_to_postgres',
        targetType: 'database',
        targetId: null,
        siteId: null,
        detail: { replaced: nonEmpty.length > 0, rows: Object.fromEntries(tables.map((t) => [t.table, t.rows])) },
      });
      await client.query('COMMIT');
      // Instances already running on this database drop whatever they cached.
      await client.query("SELECT nextval('ykien_changes')");
      return { tables, counters, replaced: nonEmpty.length > 0 };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
      db.prepare('COMMIT').run();
    }
  } finally {
    await pool.end();
    await source.close();
  }
}

async function countsOf(client: Client): Promise<Record<string, number>> {
  const sql = TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*)::int AS n FROM ${t}`).join(' UNION ALL ');
  const rows = (await client.query<{ t: string; n: number }>(sql)).rows;
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

type SqliteDb = ReturnType<typeof openSqliteStorage>['db'];

/** Copies one table in multi-row INSERTs, converting what the two backends store differently. */
async function copyTable(db: SqliteDb, client: Client, table: string): Promise<number> {
  const info = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[];
  const sqliteColumns = info.map((c) => c.name);
  const key = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => `"${c.name}"`);
  if (sqliteColumns.length === 0) return 0; // a table this SQLite database is too old to have
  const pgTypes = new Map(
    (await client.query<{ column_name: string; data_type: string }>('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()', [table])).rows.map((r) => [r.column_name, r.data_type]),
  );
  const missing = sqliteColumns.filter((c) => !pgTypes.has(c));
  if (missing.length) throw new AppError(500, 'schema_mismatch', `PostgreSQL's ${table} has no column ${missing.join(', ')}: is this ykien release older than the SQLite database?`);
  const convert = sqliteColumns.map((c) => {
    const type = pgTypes.get(c);
    if (type === 'boolean') return (v: unknown) => (v === null ? null : v === 1 || v === true);
    return (v: unknown) => v; // JSON text goes into JSONB as text; integers and text as they are
  });
  const batch = Math.max(1, Math.min(1_000, Math.floor(60_000 / sqliteColumns.length)));
  const select = table === 'comments' ? COMMENTS_IN_ORDER : `SELECT * FROM ${table} ORDER BY ${key.length ? key.join(', ') : 'rowid'}`;
  const statement = db.prepare(`${select} LIMIT ? OFFSET ?`);
  const columns = sqliteColumns.map((c) => `"${c}"`).join(', ');
  let copied = 0;
  for (;;) {
    const rows = statement.all(batch, copied) as Record<string, unknown>[];
    if (rows.length === 0) return copied;
    const params: unknown[] = [];
    const tuples = rows.map((row) => `(${sqliteColumns.map((c, i) => `$${params.push(convert[i]!(row[c]))}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, params);
    copied += rows.length;
  }
}
