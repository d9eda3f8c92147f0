import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { parse } from '../validation/validate.js';
import { voteSchema } from '../polls/polls.schema.js';
import type { PublicPoll } from '../api/polls.js';
import type { PollsService } from '../polls/polls.service.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Hasher } from '../util/hash.js';
import { backLink, cookieFrom, dateIn, formGuard, nf, pageHeaders, pct, selfUrl } from './form.guard.js';
import { html, page, type Raw } from './html.js';

const COOKIE = 'ykien_voter';

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

const voterFrom = (req: Request) => cookieFrom(req, COOKIE);
const pollUrl = (id: string, params: Record<string, string | undefined>) => selfUrl('/p', id, params);

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
<p><a href="${pollUrl(p.id, { results: '1', back })}">Xem kết quả</a></p>
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
${canVote ? html`<p><a href="${pollUrl(p.id, { back })}">Quay lại bình chọn</a></p>` : ''}`;
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
${canVote ? html`<p><a href="${pollUrl(p.id, { back })}">Quay lại bình chọn</a></p>` : ''}`;
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
  // The poll's token keeps its historical input (no scope), so forms already open stay valid.
  const guard = formGuard(hasher, '/p', '');

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
    const token = guard.token(req, res, p.id);
    pageHeaders(res)
      .status(status)
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
    const refused = guard.refusal(req, id, body.token);
    if (refused) return await show(req, res, 403, { error: MESSAGES[refused], selected: optionIds, back });
    const voter = guard.id(req, res, COOKIE);
    try {
      const input = parse(voteSchema, { optionIds, voterId: voter.id });
      await polls.vote(id, input, { ip: req.ip, userAgent: req.get('user-agent') });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 404) return notFoundPage(res);
      return await show(req, res, err.status, { error: MESSAGES[err.code] ?? 'Không gửi được phiếu bình chọn, vui lòng thử lại.', selected: optionIds, results: err.code === 'already_voted', back });
    }
    voter.keep();
    const siteId = await polls.siteOf(id);
    res.redirect(303, pollUrl(id, { voted: '1', back: backLink(back, siteId ? await sites.get(siteId) : undefined) }));
  });
  return r;
}
