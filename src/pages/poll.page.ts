import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import { publicOrigin } from '../http/publicOrigin.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { parse } from '../validation/validate.js';
import { voteSchema } from '../polls/polls.schema.js';
import type { PublicPoll } from '../api/polls.js';
import { VOTER_ID } from '../api/patterns.js';
import type { PollsService } from '../polls/polls.service.js';
import type { Site } from '../sites/sites.store.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { html, page, type Raw } from './html.js';

const COOKIE = 'ykien_voter';
/** A random id per browser, set by GET /p/:id; the form carries an HMAC of it and the poll id. */
const FORM_COOKIE = 'ykien_form';

/** What each refusal of the polls service means to a voter. */
const MESSAGES: Record<string, string> = {
  already_voted: 'Bạn đã bình chọn trong cuộc thăm dò này.',
  poll_closed: 'Cuộc thăm dò đã kết thúc.',
  poll_not_open: 'Cuộc thăm dò chưa bắt đầu.',
  too_many_choices: 'Bạn đã chọn nhiều hơn số phương án cho phép.',
  unknown_option: 'Phương án bạn chọn không có trong cuộc thăm dò này.',
  ip_vote_limit: 'Mạng của bạn đã bình chọn quá nhiều lần hôm nay.',
  rate_limited: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.',
  validation_failed: 'Vui lòng chọn một phương án.',
  origin_not_allowed: 'Biểu mẫu này chỉ gửi được từ trang bình chọn.',
  form_token: 'Phiên bình chọn đã hết hạn hoặc biểu mẫu không gửi từ trang này. Vui lòng bình chọn lại.',
};

function cookieFrom(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name && v && VOTER_ID.test(v)) return v;
  }
  return undefined;
}
const voterFrom = (req: Request) => cookieFrom(req, COOKIE);

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * Whether a POST comes from a page of this service. Origin when the browser sends one ("null",
 * from a sandboxed iframe or a data: page, never matches); else Sec-Fetch-Site; else, for old
 * browsers, a same-origin Referer (the poll page asks for one with Referrer-Policy: same-origin).
 */
function fromThisService(req: Request): boolean {
  const own = publicOrigin(req);
  const origin = req.get('origin');
  if (origin !== undefined) return origin === own;
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite === 'same-origin' || fetchSite === 'none';
  const referer = req.get('referer');
  return referer !== undefined && originOf(referer) === own;
}

/**
 * The article a visitor came from, for the "back" link: only an http(s) address on one of the
 * site's own origins (a "*" allowance does not count), so the link is never an open redirect.
 */
function backLink(candidate: unknown, site: Site | undefined): string | undefined {
  if (typeof candidate !== 'string' || candidate.length > 1000 || !site) return undefined;
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !site.origins.includes(u.origin)) return undefined;
  return u.href;
}

const sameToken = (sent: unknown, expected: string) =>
  typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));

/** /p/:id with optional query parameters, for links between the poll's own pages. */
function selfUrl(id: string, params: Record<string, string | undefined>): string {
  const q = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${encodeURIComponent(v)}`]));
  return `/p/${encodeURIComponent(id)}${q.length ? `?${q.join('&')}` : ''}`;
}

function dateIn(tz: string) {
  const f = new Intl.DateTimeFormat('vi-VN', { timeZone: tz, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false });
  return (iso: string | null) => (iso ? f.format(new Date(iso)) : '');
}

const nf = new Intl.NumberFormat('vi-VN');
const pct = (p: number) => `${p.toFixed(1)}%`;

interface RenderOptions {
  siteName: string;
  tz: string;
  results: boolean;
  token: string;
  back?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  selected?: string[] | undefined;
}

function render(p: PublicPoll, o: RenderOptions): string {
  const date = dateIn(o.tz);
  const back = o.back;
  const canVote = p.status === 'open' && !p.voted;
  const showForm = canVote && !o.results;
  let main: Raw;
  if (showForm) {
    const type = p.maxChoices > 1 ? 'checkbox' : 'radio';
    main = html`<form method="post" action="/p/${encodeURIComponent(p.id)}">
<input type="hidden" name="token" value="${o.token}">
${back ? html`<input type="hidden" name="back" value="${back}">` : ''}
<fieldset><legend>${p.question}</legend>
${p.maxChoices > 1 ? html`<p class="note">Chọn tối đa ${p.maxChoices} phương án.</p>` : ''}
${p.options.map((opt) => html`<label><input type="${type}" name="option" value="${opt.id}"${o.selected?.includes(opt.id) ? html` checked` : ''}>${opt.label}</label>\n`)}
</fieldset>
${p.closesAt ? html`<p class="note">Hạn bình chọn: ${date(p.closesAt)}.</p>` : ''}
<button type="submit">Bình chọn</button>
<p><a href="${selfUrl(p.id, { results: '1', back })}">Xem kết quả</a></p>
</form>`;
  } else if (p.results) {
    const r = p.results;
    main = html`<h1>${p.question}</h1>
<p class="note">Kết quả bình chọn</p>
<ul>
${r.options.map((x) => html`<li>${x.label}<meter min="0" max="100" value="${x.percent}">${pct(x.percent)}</meter><span class="num"><span>${pct(x.percent)}</span><span>${nf.format(x.votes)} Phiếu</span></span></li>\n`)}
</ul>
<p class="tot">Tổng cộng: ${nf.format(r.total)} Phiếu</p>
${p.status === 'closed' ? html`<p class="note">Cuộc thăm dò đã kết thúc.</p>` : ''}
${p.status === 'scheduled' ? html`<p class="note">Cuộc thăm dò sẽ bắt đầu lúc ${date(p.opensAt)}.</p>` : ''}
${canVote ? html`<p><a href="${selfUrl(p.id, { back })}">Quay lại bình chọn</a></p>` : ''}`;
  } else {
    const hidden =
      p.resultsVisibility === 'after_vote' && p.status !== 'closed'
        ? 'Kết quả sẽ hiển thị sau khi bạn bình chọn.'
        : `Kết quả sẽ được công bố khi cuộc thăm dò kết thúc${p.closesAt ? ` (${date(p.closesAt)})` : ''}.`;
    main = html`<h1>${p.question}</h1>
${p.status === 'scheduled' ? html`<p class="note">Cuộc thăm dò sẽ bắt đầu lúc ${date(p.opensAt)}.</p>` : ''}
${p.status === 'closed' ? html`<p class="note">Cuộc thăm dò đã kết thúc.</p>` : ''}
${p.voted ? html`<p class="note">Bạn đã bình chọn trong cuộc thăm dò này.</p>` : ''}
${p.status !== 'scheduled' ? html`<p class="note">${hidden}</p>` : ''}
${canVote ? html`<p><a href="${selfUrl(p.id, { back })}">Quay lại bình chọn</a></p>` : ''}`;
  }
  const body = html`<main>
<p class="site">${o.siteName}</p>
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="err" role="alert">${o.error}</p>` : ''}
${main}
${back ? html`<p class="back"><a href="${back}">Quay lại trang trước</a></p>` : ''}
</main>`;
  return page({ title: `${p.question} - Thăm dò ý kiến`, css: '/p.css', body });
}

function notFoundPage(res: Response): void {
  res
    .status(404)
    .type('html')
    .send(page({ title: 'Không tìm thấy', css: '/p.css', body: html`<main><h1>Không tìm thấy cuộc thăm dò này.</h1></main>` }));
}

/**
 * /p/:id — the poll without JavaScript: a plain form that POSTs and redirects (303) to the
 * results, shareable as a link and usable on an old phone. Same rules as the JSON API (it
 * calls the same polls service); the voter id lives in an HttpOnly cookie.
 *
 * Another website must not be able to post this form from its visitors' browsers (each one a
 * fresh voter from its own IP, so per-IP caps never trigger): a POST must come from one of our
 * pages (fromThisService) and carry the token of the form cookie GET /p/:id set. The cookie is
 * SameSite=Lax, so a cross-site post never sends it, and nobody else can compute the token.
 */
export function pollPageRoutes(deps: { polls: PollsService; sites: SitesService; limits: RateLimiters; hasher: Hasher; defaultTimezone: string }): Router {
  const { polls, sites, limits, hasher } = deps;
  const r = Router();
  const cookieOptions = (req: Request, maxAge: number) =>
    ({ httpOnly: true, sameSite: 'lax', secure: publicOrigin(req).startsWith('https:'), path: '/p', maxAge }) as const;

  /** The browser's form cookie, set on this response when it has none yet. */
  const formBrowser = (req: Request, res: Response): string => {
    const existing = cookieFrom(req, FORM_COOKIE);
    if (existing) return existing;
    const fresh = randomBytes(18).toString('base64url');
    res.cookie(FORM_COOKIE, fresh, cookieOptions(req, 30 * 86_400_000));
    return fresh;
  };

  type Extra = { notice?: string; error?: string; selected?: string[]; results?: boolean; back?: unknown };
  const show = async (req: Request, res: Response, status: number, extra: Extra = {}) => {
    let p: PublicPoll;
    try {
      p = await polls.publicView(String(req.params.id), voterFrom(req));
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return notFoundPage(res);
      throw err;
    }
    const site = await sites.get(p.site);
    const token = hasher.formToken(formBrowser(req, res), p.id);
    res
      .status(status)
      .set('Cache-Control', 'private, no-store')
      // Old browsers that send no Origin then still say where the post came from.
      .set('Referrer-Policy', 'same-origin')
      .type('html')
      .send(
        render(p, {
          siteName: site?.name ?? '',
          tz: site?.timezone ?? deps.defaultTimezone,
          results: extra.results ?? req.query.results === '1',
          token,
          back: backLink(extra.back, site),
          notice: extra.notice,
          error: extra.error,
          selected: extra.selected,
        }),
      );
  };

  r.get('/p/:id', limits.read, async (req, res) => {
    await show(req, res, 200, { notice: req.query.voted === '1' ? 'Cảm ơn bạn đã bình chọn.' : undefined, back: req.query.back ?? req.get('referer') });
  });

  r.post('/p/:id', limits.write, express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 64 }), async (req, res) => {
    const id = String(req.params.id);
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    const raw = body.option;
    const optionIds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const back = body.back;
    if (!fromThisService(req)) return await show(req, res, 403, { error: MESSAGES.origin_not_allowed, selected: optionIds, back });
    const browser = cookieFrom(req, FORM_COOKIE);
    if (!browser || !sameToken(body.token, hasher.formToken(browser, id)))
      return await show(req, res, 403, { error: MESSAGES.form_token, selected: optionIds, back });
    let voterId = voterFrom(req);
    const isNew = !voterId;
    voterId ??= randomBytes(18).toString('base64url');
    try {
      const input = parse(voteSchema, { optionIds, voterId });
      await polls.vote(id, input, { ip: req.ip, userAgent: req.get('user-agent') });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 404) return notFoundPage(res);
      return await show(req, res, err.status, { error: MESSAGES[err.code] ?? 'Không gửi được phiếu bình chọn, vui lòng thử lại.', selected: optionIds, results: err.code === 'already_voted', back });
    }
    if (isNew) res.cookie(COOKIE, voterId, cookieOptions(req, 365 * 86_400_000));
    const siteId = await polls.siteOf(id);
    res.redirect(303, selfUrl(id, { voted: '1', back: backLink(back, siteId ? await sites.get(siteId) : undefined) }));
  });
  return r;
}
