/** Every string the widget shows, one table per language. Vietnamese is the default. */
const vi = {
  loc: 'vi-VN',
  loading: 'Đang tải…',
  vote: 'Bình chọn',
  results: 'Kết quả',
  resultsTitle: 'Kết quả bình chọn',
  back: 'Quay lại bình chọn',
  votes: (n: string) => `${n} Phiếu`,
  total: (n: string) => `Tổng cộng: ${n} Phiếu`,
  chooseOne: 'Vui lòng chọn một phương án.',
  chooseUpTo: (n: number) => `Chọn tối đa ${n} phương án.`,
  closed: 'Cuộc thăm dò đã kết thúc.',
  scheduled: (d: string) => `Cuộc thăm dò sẽ bắt đầu lúc ${d}.`,
  closes: (d: string) => `Hạn bình chọn: ${d}.`,
  thanks: 'Cảm ơn bạn đã bình chọn.',
  voted: 'Bạn đã bình chọn trong cuộc thăm dò này.',
  hiddenVote: 'Kết quả sẽ hiển thị sau khi bạn bình chọn.',
  hiddenClose: (d: string) => `Kết quả sẽ được công bố khi cuộc thăm dò kết thúc${d ? ` (${d})` : ''}.`,
  ipLimit: 'Mạng của bạn đã bình chọn quá nhiều lần hôm nay.',
  rateLimited: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.',
  network: 'Không kết nối được máy chủ.',
  notAllowed: 'Trang này chưa được phép hiển thị ý kiến bạn đọc.',
  error: 'Đã có lỗi xảy ra, vui lòng thử lại.',
  notFound: 'Không tìm thấy nội dung này.',
  retry: 'Thử lại',
  commentsTitle: (n: string) => `Ý kiến bạn đọc: (${n})`,
  // The comment form on shared computers, repeats, and the title before the count is known.
  commentsHeading: 'Ý kiến bạn đọc',
  remember: 'Ghi nhớ thông tin của tôi',
  awaiting: 'Đang chờ kiểm duyệt',
  duplicate: 'Bạn đã gửi ý kiến này rồi; ý kiến đang chờ kiểm duyệt hoặc đã được đăng.',
  none: 'Chưa có ý kiến nào.',
  more: 'Xem thêm ý kiến',
  reply: 'Trả lời',
  replyTo: 'Trả lời ý kiến của',
  cancel: 'Hủy',
  required: 'Thông tin (*) là bắt buộc:',
  name: 'Họ và tên:',
  address: 'Địa chỉ:',
  email: 'Email:',
  content: 'Nội dung:',
  captcha: 'Mã xác nhận',
  refresh: 'Đổi mã khác',
  send: 'Gửi ý kiến',
  sending: 'Đang gửi…',
  pending: 'Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt.',
  approved: 'Ý kiến của bạn đã được đăng.',
  eName: 'Vui lòng nhập họ và tên.',
  eContent: 'Vui lòng nhập nội dung ý kiến.',
  eEmail: 'Địa chỉ email không hợp lệ.',
  eCaptcha: 'Vui lòng nhập mã xác nhận.',
  eCaptchaBad: 'Mã xác nhận không đúng hoặc đã hết hạn, vui lòng nhập mã mới.',
  eLong: 'Nội dung quá dài.',
  eInvalid: 'Thông tin không hợp lệ.',
  tooFast: 'Bạn gửi quá nhanh, vui lòng đợi vài giây rồi gửi lại.',
  hp: 'Để trống ô này',
  // Captcha, proof of work and the accessible path (widget/captcha.ts).
  captchaAlt: (n: number) => `Mã xác nhận: hình ảnh gồm ${n} ký tự chữ và số. Nếu không đọc được, hãy chọn “Tôi không đọc được mã”.`,
  noRead: 'Tôi không đọc được mã',
  useImage: 'Dùng mã hình ảnh',
  a11yNote: 'Bạn đã chọn xác minh không cần đọc mã. Ý kiến gửi theo cách này sẽ được cán bộ kiểm duyệt xem trước khi đăng.',
  verifying: 'Đang xác minh…',
  verified: 'Đã xác minh xong. Bạn có thể gửi ý kiến.',
  ePow: 'Chưa xác minh được, vui lòng gửi lại.',
};

export type Strings = typeof vi;

const en: Strings = {
  loc: 'en-GB',
  loading: 'Loading…',
  vote: 'Vote',
  results: 'Results',
  resultsTitle: 'Poll results',
  back: 'Back to the poll',
  votes: (n) => `${n} ${n === '1' ? 'vote' : 'votes'}`,
  total: (n) => `Total: ${n} ${n === '1' ? 'vote' : 'votes'}`,
  chooseOne: 'Please choose an option.',
  chooseUpTo: (n) => `Choose up to ${n} options.`,
  closed: 'This poll is closed.',
  scheduled: (d) => `This poll opens at ${d}.`,
  closes: (d) => `Voting closes at ${d}.`,
  thanks: 'Thank you for voting.',
  voted: 'You have voted in this poll.',
  hiddenVote: 'Results are shown after you vote.',
  hiddenClose: (d) => `Results will be published when the poll closes${d ? ` (${d})` : ''}.`,
  ipLimit: 'Too many votes from your network today.',
  rateLimited: 'Too many requests. Please try again in a minute.',
  network: 'Could not reach the server.',
  notAllowed: 'This page is not yet allowed to show readers’ opinions.',
  error: 'Something went wrong. Please try again.',
  notFound: 'This content was not found.',
  retry: 'Try again',
  commentsTitle: (n) => `Reader comments: (${n})`,
  commentsHeading: 'Reader comments',
  remember: 'Remember my details',
  awaiting: 'Awaiting moderation',
  duplicate: 'You have already sent this comment; it is awaiting moderation or already published.',
  none: 'No comments yet.',
  more: 'More comments',
  reply: 'Reply',
  replyTo: 'Replying to',
  cancel: 'Cancel',
  required: 'Fields marked (*) are required:',
  name: 'Full name:',
  address: 'Address:',
  email: 'Email:',
  content: 'Comment:',
  captcha: 'Verification code',
  refresh: 'New code',
  send: 'Send comment',
  sending: 'Sending…',
  pending: 'Your comment has been sent and is waiting for moderation.',
  approved: 'Your comment has been published.',
  eName: 'Please enter your name.',
  eContent: 'Please enter your comment.',
  eEmail: 'This e-mail address is not valid.',
  eCaptcha: 'Please enter the verification code.',
  eCaptchaBad: 'The verification code is wrong or has expired. Please enter the new code.',
  eLong: 'This text is too long.',
  eInvalid: 'This value is not valid.',
  tooFast: 'You sent this too quickly. Please wait a few seconds and send again.',
  hp: 'Leave this field empty',
  // Captcha, proof of work and the accessible path (widget/captcha.ts).
  captchaAlt: (n) => `Verification code: a picture of ${n} letters and digits. If you cannot read it, choose “I can't read the code”.`,
  noRead: "I can't read the code",
  useImage: 'Use the picture code',
  a11yNote: 'You chose to verify without reading a code. Comments sent this way are checked by a moderator before they appear.',
  verifying: 'Verifying…',
  verified: 'Verified. You can send your comment.',
  ePow: 'Verification did not succeed. Please send again.',
};

export interface Locale {
  t: Strings;
  lang: 'vi' | 'en';
  /** Whole numbers with the locale's thousands separator. */
  num(n: number): string;
  /** An ISO date-time in the site's time zone, e.g. "15:27 08/06/2026". */
  date(iso: string | null | undefined): string;
}

const cache: Record<string, Locale> = {};

export function locale(lang: string | null | undefined, tz: string | null | undefined): Locale {
  const l = lang === 'en' ? 'en' : 'vi';
  const zone = tz || 'Asia/Ho_Chi_Minh';
  const key = l + zone;
  if (cache[key]) return cache[key];
  const t = l === 'en' ? en : vi;
  const nf = new Intl.NumberFormat(t.loc);
  let df: Intl.DateTimeFormat;
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false };
  try {
    df = new Intl.DateTimeFormat(t.loc, { ...opts, timeZone: zone });
  } catch {
    df = new Intl.DateTimeFormat(t.loc, opts);
  }
  return (cache[key] = {
    t,
    lang: l,
    num: (n) => nf.format(n),
    date: (iso) => {
      const d = iso ? new Date(iso) : null;
      return d && !isNaN(d.getTime()) ? df.format(d) : '';
    },
  });
}

/** "23.8%": one decimal, as portals print their poll results. */
export const percent = (p: number) => `${(Math.round(p * 10) / 10).toFixed(1)}%`;

/** The survey chunk's own strings (widget/survey.ts), beside the shared ones above; not in widget.js. */
const surveyVi = {
  step: (i: number, n: number) => `Câu ${i}/${n}`,
  next: 'Tiếp',
  prev: 'Quay lại',
  submit: 'Gửi khảo sát',
  requiredNote: 'Câu có dấu (*) là bắt buộc.',
  thanks: 'Cảm ơn bạn đã tham gia khảo sát.',
  responded: 'Bạn đã tham gia khảo sát này.',
  closed: 'Cuộc khảo sát đã kết thúc.',
  scheduled: (d: string) => `Cuộc khảo sát sẽ bắt đầu lúc ${d}.`,
  closes: (d: string) => `Hạn khảo sát: ${d}.`,
  hiddenRespond: 'Kết quả sẽ hiển thị sau khi bạn gửi khảo sát.',
  hiddenClose: (d: string) => `Kết quả sẽ được công bố khi cuộc khảo sát kết thúc${d ? ` (${d})` : ''}.`,
  eRequired: 'Vui lòng trả lời câu hỏi này.',
  eRows: 'Vui lòng chọn một mức cho mỗi dòng.',
  eFix: 'Vui lòng kiểm tra lại các câu được đánh dấu.',
  full: (n: number) => `Đã chọn đủ ${n} phương án. Bỏ chọn một phương án để chọn phương án khác.`,
  chars: (n: number, max: number) => `${n}/${max} ký tự`,
  ipLimit: 'Mạng của bạn đã gửi quá nhiều phiếu khảo sát hôm nay.',
  resultsTitle: 'Kết quả khảo sát',
  people: (n: string) => `${n} người tham gia`,
  answered: (n: string) => `${n} người trả lời`,
  chosen: (n: string) => `${n} lượt chọn`,
  mean: (m: string, max: string) => `Điểm trung bình: ${m}/${max}`,
};

export type SurveyStrings = typeof surveyVi;

const surveyEn: SurveyStrings = {
  step: (i, n) => `Question ${i} of ${n}`,
  next: 'Next',
  prev: 'Back',
  submit: 'Send the survey',
  requiredNote: 'Questions marked (*) are required.',
  thanks: 'Thank you for taking part in the survey.',
  responded: 'You have taken part in this survey.',
  closed: 'This survey is closed.',
  scheduled: (d) => `This survey opens at ${d}.`,
  closes: (d) => `The survey closes at ${d}.`,
  hiddenRespond: 'Results are shown after you send the survey.',
  hiddenClose: (d) => `Results will be published when the survey closes${d ? ` (${d})` : ''}.`,
  eRequired: 'Please answer this question.',
  eRows: 'Please choose a level on every row.',
  eFix: 'Please check the questions marked.',
  full: (n) => `${n} options chosen, the most allowed. Clear one to choose another.`,
  chars: (n, max) => `${n}/${max} characters`,
  ipLimit: 'Too many surveys sent from your network today.',
  resultsTitle: 'Survey results',
  people: (n) => `${n} ${n === '1' ? 'respondent' : 'respondents'}`,
  answered: (n) => `${n} answered`,
  chosen: (n) => `${n} ${n === '1' ? 'choice' : 'choices'}`,
  mean: (m, max) => `Average: ${m}/${max}`,
};

export const surveyStrings = (lang: Locale['lang']): SurveyStrings => (lang === 'en' ? surveyEn : surveyVi);
