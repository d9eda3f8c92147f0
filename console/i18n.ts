// Vietnamese first, English second. Every word a person sees comes from here.
import { ApiError } from './api.js';
import * as surveys from './strings/surveys.js';
import * as auditWords from './strings/audit.js';
import * as overviewWords from './strings/overview.js';
import { en as accountEn, vi as accountVi } from './strings/account.js';
import { en as keysEn, vi as keysVi } from './strings/keys.js';
import { en as pollsEn, vi as pollsVi } from './strings/polls.js';
import { en as sitesEn, vi as sitesVi } from './strings/sites.js';
import { en as usersEn, vi as usersVi } from './strings/users.js';

const vi = {
  'app.title': 'Quản trị ý kiến',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',
  'nav.label': 'Mục quản trị',
  'nav.comments': 'Bình luận',
  'nav.polls': 'Bình chọn',
  'login.title': 'Đăng nhập trang quản trị',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.totp': 'Mã xác thực (6 số) hoặc mã khôi phục',
  'login.totpHint': 'Mở ứng dụng xác thực trên điện thoại và nhập mã 6 số đang hiện.',
  'login.submit': 'Đăng nhập',
  'login.busy': 'Đang đăng nhập…',
  'login.expired': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại; những gì bạn đang gõ vẫn được giữ.',
  'login.loggedOut': 'Bạn đã đăng xuất.',
  'login.totpSetup': 'Tài khoản quản trị cần bật xác thực hai lớp trước khi dùng. Hãy nhờ quản trị viên tỉnh hướng dẫn.',
  'logout': 'Đăng xuất',
  'user.signedInAs': 'Đang đăng nhập: {name}',
  'site.label': 'Trang',
  'site.all': 'Tất cả các trang',
  'site.choose': 'Chọn trang',
  'site.search': 'Tìm trang theo tên hoặc mã',
  'site.recent': 'Dùng gần đây',
  'site.results': 'Các trang',
  'site.none': 'Không có trang nào khớp.',
  'site.more': 'Còn {n} trang nữa: gõ thêm để lọc.',
  'site.close': 'Đóng',
  'tab.pending': 'Chờ duyệt',
  'tab.approved': 'Đã duyệt',
  'tab.spam': 'Spam',
  'tab.rejected': 'Đã xóa',
  'tabs.label': 'Trạng thái bình luận',
  'filter.label': 'Lọc bình luận',
  'filter.thread': 'Bài viết (đường dẫn)',
  'filter.from': 'Từ ngày',
  'filter.to': 'Đến ngày',
  'filter.q': 'Tìm trong bình luận',
  'filter.apply': 'Lọc',
  'filter.clear': 'Bỏ lọc',
  'queue.selectAll': 'Chọn tất cả',
  'queue.select': 'Chọn bình luận của {name}',
  'queue.selected': 'Đã chọn {n}',
  'act.approve': 'Duyệt',
  'act.reject': 'Từ chối',
  'act.spam': 'Spam',
  'act.delete': 'Xóa vĩnh viễn',
  'act.edit': 'Sửa',
  'act.reply': 'Trả lời',
  'act.save': 'Lưu',
  'act.saveApprove': 'Lưu và duyệt',
  'act.cancel': 'Hủy',
  'act.sendReply': 'Gửi trả lời',
  'act.more': 'Xem thêm',
  'act.refresh': 'Tải lại',
  'queue.toolbar': 'Thao tác với các bình luận đã chọn',
  'queue.empty': 'Không có bình luận nào ở đây.',
  'queue.loading': 'Đang tải…',
  'queue.reply': 'Trả lời của Ban biên tập',
  'queue.editLabel': 'Nội dung bình luận',
  'queue.replyFrom': 'Trả lời dưới tên: Ban biên tập',
  'queue.confirmDelete': 'Xóa vĩnh viễn {n} bình luận? Không thể hoàn tác.',
  'queue.done': '{action}: {n} bình luận.',
  'queue.saved': 'Đã lưu nội dung.',
  'queue.replied': 'Đã đăng trả lời.',
  'queue.newPending': 'Có {n} bình luận mới chờ duyệt.',
  'queue.email': 'Thư điện tử',
  'queue.address': 'Địa chỉ',
  'queue.article': 'Bài viết',
  'queue.isReply': 'Trả lời một bình luận',
  'queue.spamReason': 'Lý do: {reason}',
  'queue.by': 'Người xử lý: {name}',
  'keys.title': 'Phím tắt',
  'keys.close': 'Đóng',
  'keys.hint': 'Nhấn ? để xem phím tắt',
  'keys.j': 'Bình luận tiếp theo',
  'keys.k': 'Bình luận trước',
  'keys.x': 'Chọn / bỏ chọn',
  'keys.a': 'Duyệt (các bình luận đã chọn, hoặc bình luận đang đứng)',
  'keys.r': 'Từ chối',
  'keys.s': 'Đánh dấu spam',
  'keys.slash': 'Tìm trong bình luận',
  'keys.help': 'Hiện danh sách này',
  'polls.title': 'Bình chọn',
  'polls.new': 'Tạo bình chọn',
  'polls.chooseSite': 'Chọn một trang để xem các bình chọn của trang đó.',
  'polls.empty': 'Trang này chưa có bình chọn nào.',
  'polls.list': 'Danh sách bình chọn',
  'polls.votes': '{n} lượt bình chọn',
  'polls.status.open': 'Đang mở',
  'polls.status.closed': 'Đã đóng',
  'polls.status.scheduled': 'Chưa mở',
  'polls.question': 'Câu hỏi',
  'polls.options': 'Các phương án',
  'polls.option': 'Phương án {n}',
  'polls.addOption': 'Thêm phương án',
  'polls.removeOption': 'Bỏ phương án {n}',
  'polls.maxChoices': 'Số phương án được chọn tối đa',
  'polls.opensAt': 'Mở từ (giờ {zone}, để trống: mở ngay)',
  'polls.closesAt': 'Đóng lúc (giờ {zone}, để trống: không hẹn)',
  'polls.visibility': 'Ai xem được kết quả',
  'polls.vis.always': 'Mọi người, lúc nào cũng xem được',
  'polls.vis.after_vote': 'Người đã bình chọn (mọi người khi đã đóng)',
  'polls.vis.after_close': 'Mọi người, sau khi đóng',
  'polls.create': 'Tạo bình chọn',
  'polls.save': 'Lưu thay đổi',
  'polls.edit': 'Sửa',
  'polls.close': 'Đóng bình chọn',
  'polls.reopen': 'Mở lại',
  'polls.created': 'Đã tạo bình chọn.',
  'polls.saved': 'Đã lưu bình chọn.',
  'polls.results': 'Kết quả',
  'polls.resultsSummary': '{votes} lựa chọn của {voters} người',
  'polls.timeline': 'Số lượt bình chọn theo ngày',
  'polls.timelineTable': 'Xem dạng bảng',
  'polls.day': 'Ngày',
  'polls.count': 'Số lượt',
  'polls.noVotes': 'Chưa có lượt bình chọn nào.',
  'polls.export': 'Tải về',
  'polls.exportCsv': 'Kết quả (CSV)',
  'polls.exportXlsx': 'Kết quả (Excel XLSX)',
  'polls.exportJson': 'Kết quả (JSON)',
  'polls.exportVotes': 'Từng lượt (CSV)',
  'polls.embed': 'Mã nhúng',
  'polls.back': 'Về danh sách',
  'polls.adminsOnly': 'Chỉ quản trị viên quản lý bình chọn.',
  'err.network': 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
  'err.forbidden': 'Bạn không có quyền với trang này.',
  'err.loginFailed': 'Tên đăng nhập hoặc mật khẩu không đúng.',
  'err.totpInvalid': 'Mã xác thực không đúng hoặc đã được dùng.',
  'err.expired': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  'err.notFound': 'Không tìm thấy mục này (có thể đã bị xóa).',
  'err.validation': 'Thông tin chưa hợp lệ: {fields}.',
  'err.pollHasVotes': 'Bình chọn đã có người bình chọn: không thể bỏ hay đổi tên phương án, hoặc giảm số phương án được chọn. Vẫn có thể thêm phương án mới.',
  'err.rateLimited': 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.',
  'err.parentNotApproved': 'Hãy duyệt bình luận này trước khi trả lời.',
  'err.replyToReply': 'Chỉ trả lời được bình luận gốc, không trả lời một câu trả lời.',
  'err.throttled': 'Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {n} phút.',
  'err.generic': 'Đã có lỗi. Vui lòng thử lại.',
  ...surveys.vi,
  ...overviewWords.vi,
  ...auditWords.vi,
  ...sitesVi,
  ...usersVi,
  ...keysVi,
  ...accountVi,
  ...pollsVi,
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.title': 'ykien console',
  'lang.switch': 'Tiếng Việt',
  'lang.switchLabel': 'Chuyển sang tiếng Việt',
  'nav.label': 'Console sections',
  'nav.comments': 'Comments',
  'nav.polls': 'Polls',
  'login.title': 'Sign in to the console',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.totp': 'Authentication code (6 digits) or a recovery code',
  'login.totpHint': 'Open the authenticator app on your phone and type the 6-digit code it shows.',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.expired': 'Your session has expired. Please sign in again; what you were typing is kept.',
  'login.loggedOut': 'You have signed out.',
  'login.totpSetup': 'Admin accounts must turn on two-factor sign-in first. Ask the provincial administrator.',
  'logout': 'Sign out',
  'user.signedInAs': 'Signed in: {name}',
  'site.label': 'Site',
  'site.all': 'All sites',
  'site.choose': 'Choose a site',
  'site.search': 'Search sites by name or id',
  'site.recent': 'Recently used',
  'site.results': 'Sites',
  'site.none': 'No site matches.',
  'site.more': '{n} more sites: type more to narrow.',
  'site.close': 'Close',
  'tab.pending': 'Pending',
  'tab.approved': 'Approved',
  'tab.spam': 'Spam',
  'tab.rejected': 'Removed',
  'tabs.label': 'Comment status',
  'filter.label': 'Filter comments',
  'filter.thread': 'Article (path)',
  'filter.from': 'From',
  'filter.to': 'To',
  'filter.q': 'Search comments',
  'filter.apply': 'Filter',
  'filter.clear': 'Clear',
  'queue.selectAll': 'Select all',
  'queue.select': 'Select the comment by {name}',
  'queue.selected': '{n} selected',
  'act.approve': 'Approve',
  'act.reject': 'Reject',
  'act.spam': 'Spam',
  'act.delete': 'Delete for good',
  'act.edit': 'Edit',
  'act.reply': 'Reply',
  'act.save': 'Save',
  'act.saveApprove': 'Save and approve',
  'act.cancel': 'Cancel',
  'act.sendReply': 'Post reply',
  'act.more': 'Show more',
  'act.refresh': 'Reload',
  'queue.toolbar': 'Actions on the selected comments',
  'queue.empty': 'No comments here.',
  'queue.loading': 'Loading…',
  'queue.reply': 'Reply from the editors',
  'queue.editLabel': 'Comment text',
  'queue.replyFrom': 'Replying as: Ban biên tập (the editors)',
  'queue.confirmDelete': 'Delete {n} comment(s) for good? This cannot be undone.',
  'queue.done': '{action}: {n} comment(s).',
  'queue.saved': 'Text saved.',
  'queue.replied': 'Reply posted.',
  'queue.newPending': '{n} new comment(s) waiting.',
  'queue.email': 'E-mail',
  'queue.address': 'Address',
  'queue.article': 'Article',
  'queue.isReply': 'A reply to a comment',
  'queue.spamReason': 'Reason: {reason}',
  'queue.by': 'Handled by: {name}',
  'keys.title': 'Keyboard shortcuts',
  'keys.close': 'Close',
  'keys.hint': 'Press ? for shortcuts',
  'keys.j': 'Next comment',
  'keys.k': 'Previous comment',
  'keys.x': 'Select / unselect',
  'keys.a': 'Approve (the selected comments, or the current one)',
  'keys.r': 'Reject',
  'keys.s': 'Mark as spam',
  'keys.slash': 'Search comments',
  'keys.help': 'Show this list',
  'polls.title': 'Polls',
  'polls.new': 'New poll',
  'polls.chooseSite': 'Choose a site to see its polls.',
  'polls.empty': 'This site has no polls yet.',
  'polls.list': 'Polls',
  'polls.votes': '{n} vote(s)',
  'polls.status.open': 'Open',
  'polls.status.closed': 'Closed',
  'polls.status.scheduled': 'Not open yet',
  'polls.question': 'Question',
  'polls.options': 'Options',
  'polls.option': 'Option {n}',
  'polls.addOption': 'Add an option',
  'polls.removeOption': 'Remove option {n}',
  'polls.maxChoices': 'Most options a voter may choose',
  'polls.opensAt': 'Opens ({zone} time; empty: now)',
  'polls.closesAt': 'Closes ({zone} time; empty: no end)',
  'polls.visibility': 'Who sees the results',
  'polls.vis.always': 'Everyone, always',
  'polls.vis.after_vote': 'Voters (everyone once closed)',
  'polls.vis.after_close': 'Everyone, once closed',
  'polls.create': 'Create poll',
  'polls.save': 'Save changes',
  'polls.edit': 'Edit',
  'polls.close': 'Close poll',
  'polls.reopen': 'Reopen',
  'polls.created': 'Poll created.',
  'polls.saved': 'Poll saved.',
  'polls.results': 'Results',
  'polls.resultsSummary': '{votes} choice(s) by {voters} voter(s)',
  'polls.timeline': 'Votes per day',
  'polls.timelineTable': 'Show as a table',
  'polls.day': 'Day',
  'polls.count': 'Votes',
  'polls.noVotes': 'No votes yet.',
  'polls.export': 'Download',
  'polls.exportCsv': 'Results (CSV)',
  'polls.exportXlsx': 'Results (Excel XLSX)',
  'polls.exportJson': 'Results (JSON)',
  'polls.exportVotes': 'Each vote (CSV)',
  'polls.embed': 'Embed code',
  'polls.back': 'Back to the list',
  'polls.adminsOnly': 'Only admins manage polls.',
  'err.network': 'The server cannot be reached. Check the network and try again.',
  'err.forbidden': 'You do not have permission for this page.',
  'err.loginFailed': 'The username or password is wrong.',
  'err.totpInvalid': 'The code is wrong or was already used.',
  'err.expired': 'Your session has expired. Please sign in again.',
  'err.notFound': 'This item was not found (it may have been deleted).',
  'err.validation': 'Please check: {fields}.',
  'err.pollHasVotes': 'People have voted: options cannot be removed or renamed, nor the number of choices lowered. New options can still be added.',
  'err.rateLimited': 'Too many actions at once. Wait a moment and try again.',
  'err.parentNotApproved': 'Approve this comment before replying to it.',
  'err.replyToReply': 'Only a top-level comment can be replied to.',
  'err.throttled': 'Too many failed sign-ins. Try again in {n} minute(s).',
  'err.generic': 'Something went wrong. Please try again.',
  ...surveys.en,
  ...overviewWords.en,
  ...auditWords.en,
  ...sitesEn,
  ...usersEn,
  ...keysEn,
  ...accountEn,
  ...pollsEn,
};

export type Lang = 'vi' | 'en';
const LANG_KEY = 'ykien.console.lang';
let lang: Lang = (() => {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
})();

export const currentLang = () => lang;
export function setLang(l: Lang) {
  lang = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* private mode: the choice lasts this page */
  }
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const s = (lang === 'en' ? en : vi)[key];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** A refusal in plain words, never a raw code. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('err.generic');
  switch (err.code) {
    case 'network':
      return t('err.network');
    case 'forbidden':
    case 'origin_not_allowed':
    case 'csrf_invalid':
      return t('err.forbidden');
    case 'login_failed':
      return t('err.loginFailed');
    case 'totp_invalid':
      return t('err.totpInvalid');
    case 'login_throttled': {
      const seconds = Number(err.body?.retryAfterSeconds ?? 60);
      return t('err.throttled', { n: Math.max(1, Math.ceil(seconds / 60)) });
    }
    case 'session_expired':
    case 'unauthorized':
      return t('err.expired');
    case 'not_found':
      return t('err.notFound');
    case 'template_not_found':
      return t('ov.err.template');
    case 'poll_has_votes':
      return t('err.pollHasVotes');
    case 'rate_limited':
      return t('err.rateLimited');
    case 'parent_not_approved':
      return t('err.parentNotApproved');
    case 'reply_too_deep':
      return t('err.replyToReply');
    // Sites, users, keys and one's own account (console/strings/account.ts).
    case 'weak_password': {
      const reason = err.body?.reason;
      return t(reason === 'too_long' ? 'pw.tooLong' : reason === 'common' ? 'pw.common' : reason === 'same_as_username' ? 'pw.sameAsUsername' : 'pw.tooShort');
    }
    case 'wrong_password':
      return t('err.wrongPassword');
    case 'last_admin':
      return t('err.lastAdmin');
    case 'username_taken':
      return t('err.usernameTaken');
    case 'site_exists':
      return t('err.siteExists');
    case 'confirmation_required':
      return t('err.confirmation');
    case 'webhook_target_not_allowed':
      return t('err.webhookTarget');
    case 'totp_already_enabled':
      return t('err.totpAlreadyOn');
    case 'totp_not_set_up':
      return t('err.totpNotSetUp');
    case 'totp_setup_required':
      return t('err.totpSetupRequired');
    case 'validation_failed': {
      const fields = ((err.body?.errors as { field: string; message: string }[] | undefined) ?? []).map((e) => `${e.field} (${e.message})`);
      return t('err.validation', { fields: fields.join('; ') || '—' });
    }
    default:
      return t('err.generic');
  }
}

const ZONE = 'Asia/Ho_Chi_Minh';
/** A time as people here read it: Vietnam's clock, whatever the PC's zone. */
// en-GB writes day/month/year and a 24-hour clock, as Vietnamese readers do, whatever the language.
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit' });
/** "08:17, 02/12/2026" */
export const formatTime = (iso: string) => {
  const p = Object.fromEntries(TIME.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute}, ${p.day}/${p.month}/${p.year}`;
};
export const formatDay = (iso: string) => DAY.format(new Date(iso));
