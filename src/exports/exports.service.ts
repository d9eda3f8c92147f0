import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AdminComment } from '../api/comments.js';
import type { CommentsExport, ExportedBallot, PollExport } from '../api/exports.js';
import type { PollTimeline } from '../api/polls.js';
import type { ActorRef } from '../audit/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CommentStatus } from '../comments/comments.schema.js';
import { AppError, fieldError, notFound } from '../errors.js';
import type { PollsService } from '../polls/polls.service.js';
import type { SitesService } from '../sites/sites.service.js';
import { csvStringifier } from './csv.js';
import { resolveWhen, type When } from './exports.schema.js';
import type { BallotExportRecord, BallotSlot, CommentExportRecord, ExportsStore } from './exports.store.js';
import { ballotsTable, commentsTable, pollResultsTable, type PollResultRow } from './exports.tables.js';
import { csvColumns, csvRecord, type Table } from './table.js';
import { writeXlsx, XLSX_CONTENT_TYPE } from './xlsx.js';
import { bucketStart, dateInZone, isoInZone, isoInZoneOrNull, nextBucket, zonedIsoFormatter, type Bucket } from './zone.js';

export type ExportFormat = 'csv' | 'json' | 'xlsx';
/** The formats written from an export's Table (JSON has its own, richer shape). */
export type TableFormat = Exclude<ExportFormat, 'json'>;

export interface ExportFile {
  /** e.g. ykien-poll-cong-thong-tin-2026-06-08.csv */
  filename: string;
  contentType: string;
  /** Streams the export into `dest`, pausing while `dest` is full; resolves when all is written. */
  pipe(dest: Writable): Promise<void>;
}

/** Most buckets a timeline answers with (an hourly timeline of a bit more than a year). */
export const MAX_BUCKETS = 10_000;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: XLSX_CONTENT_TYPE,
};

/** JSON arrays are sent in pieces of about this many characters. */
const JSON_CHUNK = 64 * 1024;

type Rows<R> = AsyncIterable<R> | Iterable<R>;

/** A JSON export: `source` yields its text. */
export function jsonFile(filename: string, source: () => Rows<string>): ExportFile {
  return { filename, contentType: CONTENT_TYPES.json, pipe: (dest) => pipeline(Readable.from(source(), { objectMode: false }), dest) };
}

/** A CSV or XLSX export of `rows`, both written from the one description of its columns, `table`. */
export function tableFile<R>(filename: string, format: TableFormat, table: Table<R>, rows: () => Rows<R>): ExportFile {
  return {
    filename,
    contentType: CONTENT_TYPES[format],
    pipe: (dest) =>
      format === 'xlsx' ? writeXlsx(table, rows(), dest) : pipeline(Readable.from(mapped(rows(), csvRecord(table))), csvStringifier(csvColumns(table as Table<unknown>)), dest),
  };
}

/** `f` applied to each item as it streams past. */
export async function* mapped<T, U>(items: AsyncIterable<T> | Iterable<T>, f: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield f(item);
}

/** Yields the JSON text of `head` with `items` (each as `view` shows it) streamed into the array property `key`. */
export async function* jsonWithArray<T>(head: object, key: string, items: AsyncIterable<T> | Iterable<T>, view: (item: T) => unknown = (i) => i): AsyncGenerator<string> {
  const open = JSON.stringify(head);
  let buf = `${open.length > 2 ? `${open.slice(0, -1)},` : '{'}${JSON.stringify(key)}:[`;
  let first = true;
  for await (const item of items) {
    buf += (first ? '\n' : ',\n') + JSON.stringify(view(item));
    first = false;
    if (buf.length >= JSON_CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}\n]}\n`;
}

/** A comment as a moderator sees it (the fields of GET /v1/admin/comments/:id), its times told by `time`. */
const commentView = (c: CommentExportRecord, time: (ms: number) => string): AdminComment => ({
  id: c.id,
  site: c.siteId,
  thread: c.thread,
  parentId: c.parentId,
  status: c.status,
  spamReason: c.spamReason,
  name: c.name,
  address: c.address,
  email: c.email,
  content: c.content,
  ipHash: c.ipHash,
  userAgent: c.userAgent,
  createdAt: time(c.createdAt),
  updatedAt: time(c.updatedAt),
  moderatedAt: c.moderatedAt === null ? null : time(c.moderatedAt),
  moderatedBy: c.moderatedBy,
});

const toBeforeFrom = () => fieldError('to', 'must be after from', 'to must be after from.');

export type TimelineQuery = { bucket: Bucket; from?: When | undefined; to?: When | undefined };

/** A timeline's bounds in epoch ms, read in the site's zone (a date: local midnight). */
export function timelineRange(q: TimelineQuery, tz: string) {
  const opts = { bucket: q.bucket, from: resolveWhen(q.from, tz, false), to: resolveWhen(q.to, tz, true) };
  if (opts.from !== undefined && opts.to !== undefined && opts.from >= opts.to) throw toBeforeFrom();
  return opts;
}

/**
 * Ballots (of a poll, or responses of a survey) per local hour or day of the site's zone, zero-filled
 * from the first to the last, or over [from, to) when given, each bucket's count under `key`. Counted by
 * storage per 15-minute UTC slot (each lies inside one local hour in every zone), folded here.
 */
export function foldTimeline<K extends string>(rows: readonly BallotSlot[], opts: { bucket: Bucket; from?: number | undefined; to?: number | undefined }, tz: string, key: K) {
  const counts = new Map<number, number>();
  for (const r of rows) {
    const start = bucketStart(r.start, opts.bucket, tz);
    counts.set(start, (counts.get(start) ?? 0) + r.ballots);
  }
  const first = opts.from !== undefined ? bucketStart(opts.from, opts.bucket, tz) : rows.length ? Math.min(...counts.keys()) : undefined;
  const last = opts.to !== undefined ? bucketStart(opts.to - 1, opts.bucket, tz) : rows.length ? Math.max(...counts.keys()) : undefined;
  const buckets: ({ start: string } & Record<K, number>)[] = [];
  let total = 0;
  if (first !== undefined && last !== undefined) {
    for (let s = first; s <= last; s = nextBucket(s, opts.bucket, tz)) {
      if (buckets.length >= MAX_BUCKETS)
        throw new AppError(400, 'range_too_large', `A timeline has at most ${MAX_BUCKETS} buckets; use bucket=day or a shorter from/to.`, { maxBuckets: MAX_BUCKETS });
      const n = counts.get(s) ?? 0;
      total += n;
      buckets.push({ start: isoInZone(s, tz), [key]: n } as { start: string } & Record<K, number>);
    }
  }
  return { bucket: opts.bucket, timezone: tz, total, buckets };
}

export function exportsService(
  store: ExportsStore,
  deps: { polls: PollsService; sites: SitesService; audit: AuditService; defaultTimezone: string; now?: () => number },
) {
  const now = deps.now ?? Date.now;
  const zoneOf = async (site: string) => (await deps.sites.get(site))?.timezone ?? deps.defaultTimezone;
  /** Every site's time zone, read before a stream starts, so rows need no lookup each. */
  const zones = async () => {
    const all = new Map((await deps.sites.list()).map((s) => [s.id, s.timezone]));
    return (site: string) => all.get(site) ?? deps.defaultTimezone;
  };

  /** The poll as the admin API shows it, with its dates in the site's zone. */
  async function pollHead(id: string) {
    const view = await deps.polls.adminView(id); // 404 when missing
    const tz = await zoneOf(view.site);
    const local = (s: string | null) => (s === null ? null : isoInZone(Date.parse(s), tz));
    const t = now();
    const head: PollExport = {
      poll: {
        id: view.id,
        site: view.site,
        question: view.question,
        status: view.status,
        maxChoices: view.maxChoices,
        opensAt: local(view.opensAt),
        closesAt: local(view.closesAt),
        createdAt: local(view.createdAt),
      },
      timezone: tz,
      exportedAt: isoInZone(t, tz),
      results: view.results,
    };
    return { tz, at: t, head };
  }

  /** A ballot as exports show it: its time in the site's zone, its options' labels beside their ids. */
  const ballotView = (tz: string, labels: ReadonlyMap<string, string>) => {
    const iso = zonedIsoFormatter(tz);
    return (b: BallotExportRecord): ExportedBallot => ({
      id: b.id,
      time: iso(b.at),
      optionIds: b.optionIds,
      options: b.optionIds.map((o) => labels.get(o) ?? o),
      voterHash: b.voterHash,
      ipHash: b.ipHash,
      userAgent: b.userAgent,
    });
  };

  /** Comments as a moderator sees them, each with its times in its own site's zone. */
  const commentViews = (zoneOf: (site: string) => string) => {
    const isos = new Map<string, (ms: number) => string>();
    return (c: CommentExportRecord) => {
      let iso = isos.get(c.siteId);
      if (!iso) isos.set(c.siteId, (iso = zonedIsoFormatter(zoneOf(c.siteId))));
      return commentView(c, iso);
    };
  };

  return {
    /**
     * Every comment of a site (or of every site) with its private fields — e-mail, IP hash,
     * user agent — optionally of one status and created in [from, to). Streamed like ballots.
     * Access is checked by the caller, who passes the sites the export may show (`sites`, from
     * access/scopeOf; default: `site` alone, or every site).
     */
    async comments(q: {
      site?: string | undefined;
      sites?: readonly string[] | null;
      status?: CommentStatus | undefined;
      from?: When | undefined;
      to?: When | undefined;
      format: ExportFormat;
      actor: ActorRef;
    }): Promise<ExportFile> {
      if (q.site) await deps.sites.require(q.site);
      const tz = q.site ? await zoneOf(q.site) : deps.defaultTimezone;
      const zoneOfSite = await zones();
      const view = commentViews(zoneOfSite);
      const range = { sites: q.sites !== undefined ? q.sites : q.site ? [q.site] : null, status: q.status, from: resolveWhen(q.from, tz, false), to: resolveWhen(q.to, tz, true) };
      if (range.from !== undefined && range.to !== undefined && range.from >= range.to) throw toBeforeFrom();
      const t = now();
      await deps.audit.record({
        actor: q.actor,
        action: 'comment.export',
        targetType: 'comment',
        siteId: q.site ?? null,
        detail: { format: q.format, status: q.status ?? null, from: range.from ?? null, to: range.to ?? null },
      });
      const filename = `ykien-comments-${q.site ?? 'all'}${q.status ? `-${q.status}` : ''}-${dateInZone(t, tz)}.${q.format}`;
      if (q.format === 'json') {
        const head: Omit<CommentsExport, 'comments'> = { site: q.site ?? null, status: q.status ?? null, from: isoInZoneOrNull(range.from ?? null, tz), to: isoInZoneOrNull(range.to ?? null, tz), exportedAt: isoInZone(t, tz) };
        return jsonFile(filename, () => jsonWithArray(head, 'comments', store.comments(range), view));
      }
      return tableFile(filename, q.format, commentsTable(tz, zoneOfSite), () => store.comments(range));
    },

    /**
     * The results table of a poll (one row per option, with the poll's totals), or with
     * detail "votes" one row per ballot. Ballots are streamed from one snapshot that does not
     * hold up votes (ExportsStore): memory stays flat however many there are.
     */
    async poll(id: string, opts: { format: ExportFormat; detail?: 'votes' | undefined; actor: ActorRef }): Promise<ExportFile> {
      const { tz, at, head } = await pollHead(id);
      const { results } = head;
      const date = dateInZone(at, tz);
      await deps.audit.record({
        actor: opts.actor,
        action: 'poll.export',
        targetType: 'poll',
        targetId: id,
        siteId: head.poll.site,
        detail: { format: opts.format, detail: opts.detail ?? 'results' },
      });

      if (opts.detail === 'votes') {
        const labels = new Map(results.options.map((o) => [o.id, o.label]));
        const view = ballotView(tz, labels);
        const filename = `ykien-poll-${id}-votes-${date}.${opts.format}`;
        if (opts.format === 'json') return jsonFile(filename, () => jsonWithArray(head, 'ballots', store.ballots(id), view));
        return tableFile(filename, opts.format, ballotsTable(tz, labels), () => store.ballots(id));
      }

      const filename = `ykien-poll-${id}-${date}.${opts.format}`;
      if (opts.format === 'json') return jsonFile(filename, () => [`${JSON.stringify(head)}\n`]);
      const rows: PollResultRow[] = results.options.map((o) => ({ pollId: head.poll.id, question: head.poll.question, option: o, total: results.total, voters: results.voters }));
      return tableFile(filename, opts.format, pollResultsTable(tz), () => rows);
    },

    /**
     * Ballots per local hour or day of the site's zone, zero-filled from the first to the last
     * ballot, or over [from, to) when given. Counted by storage per 15-minute UTC slot (each slot
     * lies inside one local hour in every zone), then folded into local buckets.
     */
    async timeline(id: string, q: TimelineQuery): Promise<PollTimeline> {
      const site = await deps.polls.siteOf(id);
      if (!site) throw notFound(`Poll "${id}"`);
      const tz = await zoneOf(site);
      const opts = timelineRange(q, tz);
      const rows = await store.ballotSlots(id, opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER);
      const { total, buckets } = foldTimeline(rows, opts, tz, 'votes');
      return { pollId: id, bucket: opts.bucket, timezone: tz, total, buckets };
    },
  };
}

export type ExportsService = ReturnType<typeof exportsService>;
