import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import type { RateLimiters } from '../http/rateLimits.js';
import { parse } from '../http/validate.js';
import { voteSchema } from '../polls/polls.schema.js';
import type { PollsService, PublicPoll } from '../polls/polls.service.js';
import type { SitesService } from '../sites/sites.service.js';
import { html, page, type Raw } from './html.js';

const COOKIE = 'ykien_voter';
const VOTER_RE = /^[A-Za-z0-9_-]{8,128}$/;

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
};

function voterFrom(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v && VOTER_RE.test(v)) return v;
  }
  return undefined;
}

function dateIn(tz: string) {
  const f = new Intl.DateTimeFormat('vi-VN', { timeZone: tz, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false });
  return (iso: string | null) => (iso ? f.format(new Date(iso)) : '');
}

const nf = new Intl.NumberFormat('vi-VN');
const pct = (p: number) => `${p.toFixed(1)}%`;

function render(p: PublicPoll, o: { siteName: string; tz: string; results: boolean; notice?: string; error?: string; selected?: string[] }): string {
  const date = dateIn(o.tz);
  const canVote = p.status === 'open' && !p.voted;
  const showForm = canVote && !o.results;
  let main: Raw;
  if (showForm) {
    const type = p.maxChoices > 1 ? 'checkbox' : 'radio';
    main = html`<form method="post" action="/p/${encodeURIComponent(p.id)}">
<fieldset><legend>${p.question}</legend>
${p.maxChoices > 1 ? html`<p class="note">Chọn tối đa ${p.maxChoices} phương án.</p>` : ''}
${p.options.map((opt) => html`<label><input type="${type}" name="option" value="${opt.id}"${o.selected?.includes(opt.id) ? html` checked` : ''}>${opt.label}</label>\n`)}
</fieldset>
${p.closesAt ? html`<p class="note">Hạn bình chọn: ${date(p.closesAt)}.</p>` : ''}
<button type="submit">Bình chọn</button>
<p><a href="/p/${encodeURIComponent(p.id)}?results=1">Xem kết quả</a></p>
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
${canVote ? html`<p><a href="/p/${encodeURIComponent(p.id)}">Quay lại bình chọn</a></p>` : ''}`;
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
${canVote ? html`<p><a href="/p/${encodeURIComponent(p.id)}">Quay lại bình chọn</a></p>` : ''}`;
  }
  const body = html`<main>
<p class="site">${o.siteName}</p>
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="err" role="alert">${o.error}</p>` : ''}
${main}
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
 */
export function pollPageRoutes(deps: { polls: PollsService; sites: SitesService; limits: RateLimiters }): Router {
  const { polls, sites, limits } = deps;
  const r = Router();
  const context = (p: PublicPoll) => {
    const site = sites.get(p.site);
    return { siteName: site?.name ?? '', tz: site?.timezone ?? 'Asia/Ho_Chi_Minh' };
  };

  const show = (req: Request, res: Response, status: number, extra: { notice?: string; error?: string; selected?: string[]; results?: boolean } = {}) => {
    let p: PublicPoll;
    try {
      p = polls.publicView(String(req.params.id), voterFrom(req));
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return notFoundPage(res);
      throw err;
    }
    res
      .status(status)
      .set('Cache-Control', 'private, no-store')
      .type('html')
      .send(render(p, { ...context(p), results: extra.results ?? req.query.results === '1', ...extra }));
  };

  r.get('/p/:id', limits.read, (req, res) => {
    show(req, res, 200, { notice: req.query.voted === '1' ? 'Cảm ơn bạn đã bình chọn.' : undefined });
  });

  r.post('/p/:id', limits.write, express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 64 }), (req, res) => {
    const id = String(req.params.id);
    // Only our own form may post here: another site cannot vote on its visitors' behalf.
    const origin = req.get('origin');
    if (origin && origin !== 'null' && origin !== `${req.protocol}://${req.get('host')}`) return show(req, res, 403, { error: MESSAGES.origin_not_allowed });
    const raw = (req.body as Record<string, unknown> | undefined)?.option;
    const optionIds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    let voterId = voterFrom(req);
    const isNew = !voterId;
    voterId ??= randomBytes(18).toString('base64url');
    try {
      const input = parse(voteSchema, { optionIds, voterId });
      polls.vote(id, input, { ip: req.ip, userAgent: req.get('user-agent') });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 404) return notFoundPage(res);
      return show(req, res, err.status, { error: MESSAGES[err.code] ?? 'Không gửi được phiếu bình chọn, vui lòng thử lại.', selected: optionIds, results: err.code === 'already_voted' });
    }
    if (isNew)
      res.cookie(COOKIE, voterId, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/p', maxAge: 365 * 86_400_000 });
    res.redirect(303, `/p/${encodeURIComponent(id)}?voted=1`);
  });
  return r;
}
