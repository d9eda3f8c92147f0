import type { BallotExportRecord, CommentExportRecord } from './exports.store.js';
import { column as col, type Table } from './table.js';

/** One option of a poll's results, with the poll's totals beside it: a row of the results export. */
export interface PollResultRow {
  pollId: string;
  question: string;
  option: { id: string; label: string; votes: number; percent: number; startingVotes?: number };
  total: number;
  voters: number;
}

/** The results table: one row per option, in the poll's order. */
export const pollResultsTable = (timezone: string): Table<PollResultRow> => ({
  sheet: 'Kết quả',
  timezone,
  columns: [
    col('poll_id', 'Mã cuộc thăm dò', 'text', (r) => r.pollId),
    col('question', 'Câu hỏi', 'text', (r) => r.question),
    col('option_id', 'Mã phương án', 'text', (r) => r.option.id),
    col('option', 'Phương án', 'text', (r) => r.option.label),
    col('votes', 'Số lượt chọn', 'integer', (r) => r.option.votes),
    // Starting figures brought from an old system are in `votes` (as results show them) and said here as such.
    { ...col('starting_votes', 'Số phiếu ban đầu (nhập từ hệ thống cũ)', 'integer', (r) => r.option.startingVotes ?? 0), csvHeader: 'Số phiếu ban đầu (nhập từ hệ thống cũ)' },
    col('percent', 'Tỉ lệ', 'percent', (r) => r.option.percent),
    col('total_choices', 'Tổng số lượt chọn', 'integer', (r) => r.total),
    col('voters', 'Số người bình chọn', 'integer', (r) => r.voters),
  ],
});

/** One row per ballot; `labels` names each option id. */
export const ballotsTable = (timezone: string, labels: ReadonlyMap<string, string>): Table<BallotExportRecord> => ({
  sheet: 'Phiếu bình chọn',
  timezone,
  columns: [
    col('ballot_id', 'Mã phiếu', 'integer', (b) => b.id),
    col('time', 'Thời gian', 'time', (b) => b.at),
    col('option_ids', 'Mã phương án', 'text', (b) => b.optionIds.join(' ')),
    col('options', 'Phương án đã chọn', 'text', (b) => b.optionIds.map((o) => labels.get(o) ?? o).join('; ')),
    col('voter_hash', 'Mã người bình chọn (băm)', 'text', (b) => b.voterHash),
    col('ip_hash', 'Mạng (IP băm)', 'text', (b) => b.ipHash),
    col('user_agent', 'Trình duyệt', 'text', (b) => b.userAgent),
  ],
});

/**
 * Comments with their private fields. CSV writes each comment's times in its own site's zone (`zoneOf`), with the
 * offset; an XLSX file (no offsets in Excel) writes every time in the file's zone, named in the headers.
 */
export const commentsTable = (timezone: string, zoneOf: (site: string) => string): Table<CommentExportRecord> => ({
  sheet: 'Ý kiến',
  timezone,
  zoneOf: (c) => zoneOf(c.siteId),
  columns: [
    col('id', 'Mã ý kiến', 'text', (c) => c.id),
    col('site', 'Cổng', 'text', (c) => c.siteId),
    col('thread', 'Bài viết', 'text', (c) => c.thread),
    col('parent_id', 'Trả lời ý kiến', 'text', (c) => c.parentId),
    col('status', 'Trạng thái', 'text', (c) => c.status),
    col('spam_reason', 'Lý do coi là rác', 'text', (c) => c.spamReason),
    col('name', 'Họ tên', 'text', (c) => c.name),
    col('address', 'Địa chỉ', 'text', (c) => c.address),
    col('email', 'Thư điện tử', 'text', (c) => c.email),
    col('content', 'Nội dung', 'text', (c) => c.content),
    col('ip_hash', 'Mạng (IP băm)', 'text', (c) => c.ipHash),
    col('user_agent', 'Trình duyệt', 'text', (c) => c.userAgent),
    col('created_at', 'Gửi lúc', 'time', (c) => c.createdAt),
    col('updated_at', 'Sửa lúc', 'time', (c) => c.updatedAt),
    col('moderated_at', 'Duyệt lúc', 'time', (c) => c.moderatedAt),
    col('moderated_by', 'Người duyệt', 'text', (c) => c.moderatedBy),
  ],
});
