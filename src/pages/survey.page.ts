import express, { Router, type Request, type Response } from 'express';
import type { Answer, PublicSurvey, Question, QuestionResults, ScaleSummary } from '../api/surveys.js';
import { AppError, type FieldIssue } from '../errors.js';
import type { RateLimiters } from '../http/rateLimits.js';
import type { SitesService } from '../sites/sites.service.js';
import { responseSchema, type ResponseInput } from '../surveys/surveys.schema.js';
import { parse } from '../validation/validate.js';
import type { Hasher } from '../util/hash.js';
import { backLink, cookieFrom, dateIn, formGuard, nf, pageHeaders, pct, selfUrl } from './form.guard.js';
import { html, page, type Raw } from './html.js';

const COOKIE = 'ykien_respondent';

/** What the page needs of the surveys service. */
export interface SurveyPages {
  publicView(id: string, respondentId: string | undefined): Promise<PublicSurvey>;
  respond(id: string, body: ResponseInput, meta: { ip: string | undefined; userAgent: string | undefined }): Promise<unknown>;
}

const MESSAGES: Record<string, string> = {
  already_responded: 'Bạn đã tham gia khảo sát này.',
  survey_closed: 'Cuộc khảo sát đã kết thúc.',
  survey_not_open: 'Cuộc khảo sát chưa bắt đầu.',
  ip_response_limit: 'Mạng của bạn đã gửi quá nhiều phiếu khảo sát hôm nay.',
  ip_vote_limit: 'Mạng của bạn đã gửi quá nhiều phiếu khảo sát hôm nay.',
  rate_limited: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.',
  validation_failed: 'Vui lòng kiểm tra lại các câu được đánh dấu.',
  origin_not_allowed: 'Biểu mẫu này chỉ gửi được từ trang khảo sát.',
  form_token: 'Phiên khảo sát đã hết hạn hoặc biểu mẫu không gửi từ trang này. Câu trả lời của bạn vẫn còn bên dưới, vui lòng gửi lại.',
};
const THANKS = 'Cảm ơn bạn đã tham gia khảo sát.';
const REQUIRED = 'Vui lòng trả lời câu hỏi này.';
const ROWS = 'Vui lòng chọn một mức cho mỗi dòng.';

const surveyUrl = (id: string, params: Record<string, string | undefined>) => selfUrl('/s', id, params);

/** The typed answers as the form posts them: a.<questionId> (repeated for checkboxes), a.<questionId>.<itemId> for matrix rows. */
type Posted = Record<string, string[]>;

function posted(body: Record<string, unknown>): Posted {
  const out: Posted = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith('a.')) out[k.slice(2)] = (Array.isArray(v) ? v : [v]).map(String);
  return out;
}

const whole = (v: string | undefined) => (v !== undefined && /^-?\d{1,6}$/.test(v) ? Number(v) : v);

/** The posted form as the API's answers, by each question's type; what does not parse is left for the service to refuse. */
function answersOf(p: PublicSurvey, form: Posted): Record<string, Answer> {
  const a: Record<string, Answer> = {};
  for (const q of p.questions) {
    const v = form[q.id] ?? [];
    if (q.type === 'multiple') {
      if (v.length) a[q.id] = v;
    } else if (q.type === 'matrix') {
      const rows: Record<string, number> = {};
      for (const it of q.items) {
        const n = whole(form[`${q.id}.${it.id}`]?.[0]);
        if (n !== undefined) rows[it.id] = n as number;
      }
      if (Object.keys(rows).length) a[q.id] = rows;
    } else if (q.type === 'scale') {
      const n = whole(v[0]);
      if (n !== undefined && n !== '') a[q.id] = n as number;
    } else if (v[0] !== undefined && v[0].trim() !== '') a[q.id] = v[0];
  }
  return a;
}

/** Each question's error as the service named it (answers.<questionId>[.<itemId>]), in Vietnamese. */
function errorsByQuestion(p: PublicSurvey, issues: FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of issues) {
    const [head, qid, item] = e.field.split('.');
    const q = p.questions.find((x) => x.id === qid);
    if (head !== 'answers' || !q || out[q.id]) continue;
    const code = e.code ?? '';
    out[q.id] =
      /required|missing/.test(code) || /required/i.test(e.message)
        ? q.type === 'matrix' && item
          ? ROWS
          : REQUIRED
        : /too_many/.test(code) && q.type === 'multiple'
          ? `Chọn tối đa ${q.maxChoices} phương án.`
          : /too_long|too_big/.test(code) || /at most|too long/i.test(e.message)
            ? 'Câu trả lời quá dài.'
            : 'Câu trả lời không hợp lệ.';
  }
  return out;
}

interface RenderOptions {
  siteName: string;
  tz: string;
  token: string;
  back?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  form?: Posted | undefined;
  errors?: Record<string, string> | undefined;
}

const levels = (q: { scale: { min: number; max: number; labels: string[] | null } }) => {
  const out: { value: number; label: string }[] = [];
  for (let v = q.scale.min; v <= q.scale.max; v++) out.push({ value: v, label: q.scale.labels?.[v - q.scale.min] ?? String(v) });
  return out;
};

function question(q: Question, i: number, o: RenderOptions): Raw {
  const name = `a.${q.id}`;
  const sent = o.form?.[q.id] ?? [];
  const err = o.errors?.[q.id];
  const errId = `q${i}-e`;
  const invalid = err ? html` aria-invalid="true"` : '';
  const describe = html` aria-describedby="${errId}"`;
  const req = q.required ? html` required` : '';
  const mark = q.required ? html` <span class="st">*</span>` : '';
  const choice = (type: string, value: string, label: string, checked: boolean) =>
    html`<label class="opt"><input type="${type}" name="${name}" value="${value}"${checked ? html` checked` : ''}${type === 'radio' ? req : ''}${invalid}${describe}><span>${label}</span></label>\n`;
  let body: Raw;
  if (q.type === 'single' || q.type === 'multiple') {
    const type = q.type === 'multiple' ? 'checkbox' : 'radio';
    body = html`${q.type === 'multiple' && q.maxChoices < q.options.length ? html`<p class="note">Chọn tối đa ${q.maxChoices} phương án.</p>` : ''}
${q.options.map((opt) => choice(type, opt.id, opt.label, sent.includes(opt.id)))}`;
  } else if (q.type === 'scale') {
    body = html`<div class="sc">${levels(q).map((l) => choice('radio', String(l.value), l.label, sent[0] === String(l.value)))}</div>`;
  } else if (q.type === 'matrix') {
    const ls = levels(q);
    body = html`<table class="mx"><thead><tr><td></td>${ls.map((l) => html`<th scope="col" id="q${i}-c${l.value}">${l.label}</th>`)}</tr></thead>
<tbody>${q.items.map((it, r) => {
      const picked = o.form?.[`${q.id}.${it.id}`]?.[0];
      return html`<tr><th scope="row" id="q${i}-r${r}">${it.label}</th>${ls.map(
        (l) =>
          html`<td><label><input type="radio" name="${name}.${it.id}" value="${l.value}" aria-labelledby="q${i}-r${r} q${i}-c${l.value}"${picked === String(l.value) ? html` checked` : ''}${req}${err && picked === undefined ? invalid : ''}${describe}></label></td>`,
      )}</tr>\n`;
    })}</tbody></table>`;
  } else {
    const attrs = html` name="${name}" maxlength="${q.maxLength}" aria-labelledby="q${i}-l"${req}${invalid}${describe}`;
    body = q.multiline ? html`<textarea rows="4"${attrs}>${sent[0] ?? ''}</textarea>` : html`<input type="text" class="tx"${attrs} value="${sent[0] ?? ''}">`;
    body = html`${body}<p class="note">Tối đa ${nf.format(q.maxLength)} ký tự.</p>`;
  }
  return html`${q.section ? html`<h2>${q.section}</h2>\n` : ''}<fieldset><legend id="q${i}-l">${q.title}${mark}</legend>
${body}
<p class="err-q" id="${errId}">${err ?? ''}</p>
</fieldset>\n`;
}

function summary(sum: ScaleSummary, max: number): Raw {
  return html`${sum.mean !== null ? html`<p class="note">Điểm trung bình: ${nf.format(sum.mean)}/${max}</p>` : ''}
<ul>${sum.distribution.map((d) => html`<li>${d.label ?? String(d.value)}<meter min="0" max="100" value="${d.percent}">${pct(d.percent)}</meter><span class="num"><span>${pct(d.percent)}</span><span>${nf.format(d.count)} người trả lời</span></span></li>\n`)}</ul>`;
}

/** The public results; free-text answers are never shown. */
function results(p: PublicSurvey): Raw {
  const r = p.results!;
  const one = (qr: QuestionResults) => {
    const q = p.questions.find((x) => x.id === qr.questionId);
    if (!q || qr.type === 'text') return '';
    const max = q.type === 'scale' || q.type === 'matrix' ? q.scale.max : 0;
    const body =
      qr.type === 'scale'
        ? summary(qr, max)
        : qr.type === 'matrix'
          ? qr.items.map((it) => html`<h4>${it.label}</h4>${summary(it, max)}`)
          : html`<ul>${qr.options.map((x) => html`<li>${x.label}<meter min="0" max="100" value="${x.percent}">${pct(x.percent)}</meter><span class="num"><span>${pct(x.percent)}</span><span>${nf.format(x.count)} lượt chọn</span></span></li>\n`)}</ul>`;
    return html`<section><h3>${q.title}</h3>${body}<p class="note">${nf.format(qr.answered)} người trả lời</p></section>\n`;
  };
  return html`<h2>Kết quả khảo sát</h2><p class="note">${nf.format(r.responses)} người tham gia</p>
${r.questions.map(one)}`;
}

function render(p: PublicSurvey, o: RenderOptions): string {
  const date = dateIn(o.tz);
  const back = o.back;
  let main: Raw;
  if (p.status === 'open' && !p.responded) {
    main = html`<h1>${p.title}</h1>
${p.intro ? html`<p class="intro">${p.intro}</p>` : ''}
${p.questions.some((q) => q.required) ? html`<p class="note">Câu có dấu (*) là bắt buộc.</p>` : ''}
<form method="post" action="/s/${encodeURIComponent(p.id)}">
<input type="hidden" name="token" value="${o.token}">
${back ? html`<input type="hidden" name="back" value="${back}">` : ''}
${p.questions.map((q, i) => question(q, i, o))}
${p.closesAt ? html`<p class="note">Hạn khảo sát: ${date(p.closesAt)}.</p>` : ''}
<button type="submit">Gửi khảo sát</button>
</form>`;
  } else {
    const hidden =
      p.resultsVisibility === 'after_vote' && p.status !== 'closed'
        ? 'Kết quả sẽ hiển thị sau khi bạn gửi khảo sát.'
        : `Kết quả sẽ được công bố khi cuộc khảo sát kết thúc${p.closesAt ? ` (${date(p.closesAt)})` : ''}.`;
    main = html`<h1>${p.title}</h1>
${p.responded && !o.notice && !o.error ? html`<p class="note">Bạn đã tham gia khảo sát này.</p>` : ''}
${p.status === 'closed' ? html`<p class="note">Cuộc khảo sát đã kết thúc.</p>` : ''}
${p.status === 'scheduled' ? html`<p class="note">Cuộc khảo sát sẽ bắt đầu lúc ${date(p.opensAt)}.</p>` : ''}
${p.results ? results(p) : p.status !== 'scheduled' ? html`<p class="note">${hidden}</p>` : ''}`;
  }
  const body = html`<main>
<p class="site">${o.siteName}</p>
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="err" role="alert">${o.error}</p>` : ''}
${main}
${back ? html`<p class="back"><a href="${back}">Quay lại trang trước</a></p>` : ''}
</main>`;
  return page({ title: `${p.title} - Khảo sát`, css: '/s.css', body });
}

function notFoundPage(res: Response): void {
  res
    .status(404)
    .type('html')
    .send(page({ title: 'Không tìm thấy', css: '/s.css', body: html`<main><h1>Không tìm thấy cuộc khảo sát này.</h1></main>` }));
}

/**
 * /s/:id — the survey without JavaScript: every question on one plain form that POSTs and
 * redirects (303) to the thank-you (with the results where visible). The same service as the
 * JSON API; the respondent id lives in an HttpOnly cookie; the forgery defences are the poll
 * page's (form.guard.ts). A refusal renders the form again with everything typed kept and each
 * error next to its question.
 */
export function surveyPageRoutes(deps: { surveys: SurveyPages; sites: SitesService; limits: RateLimiters; hasher: Hasher; defaultTimezone: string }): Router {
  const { surveys, sites, limits, hasher } = deps;
  const r = Router();
  const guard = formGuard(hasher, '/s', 'survey');

  type Extra = Pick<RenderOptions, 'notice' | 'error' | 'form' | 'errors'> & { back?: unknown; survey?: PublicSurvey };
  const show = async (req: Request, res: Response, status: number, extra: Extra = {}) => {
    let p = extra.survey;
    try {
      p ??= await surveys.publicView(String(req.params.id), cookieFrom(req, COOKIE));
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return notFoundPage(res);
      throw err;
    }
    const site = await sites.get(p.site);
    const token = guard.token(req, res, p.id);
    const { notice, error, form, errors } = extra;
    pageHeaders(res)
      .status(status)
      .type('html')
      .send(render(p, { siteName: site?.name ?? '', tz: site?.timezone ?? deps.defaultTimezone, token, back: backLink(extra.back, site), notice, error, form, errors }));
  };

  r.get('/s/:id', limits.read, async (req, res) => {
    await show(req, res, 200, { notice: req.query.done === '1' ? THANKS : undefined, back: req.query.back ?? req.get('referer') });
  });

  r.post('/s/:id', limits.write, express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 1000 }), async (req, res) => {
    const id = String(req.params.id);
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    const form = posted(body);
    const back = body.back;
    const refused = guard.refusal(req, id, body.token);
    if (refused) return await show(req, res, 403, { error: MESSAGES[refused], form, back });
    let p: PublicSurvey;
    const respondent = guard.id(req, res, COOKIE);
    try {
      p = await surveys.publicView(id, respondent.fresh ? undefined : respondent.id);
      // An old copy of the form from a browser that has answered: the answered state, whatever it holds.
      if (p.responded) return await show(req, res, 409, { error: MESSAGES.already_responded, survey: p, back });
      const input = parse(responseSchema, { respondentId: respondent.id, answers: answersOf(p, form) });
      await surveys.respond(id, input, { ip: req.ip, userAgent: req.get('user-agent') });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 404) return notFoundPage(res);
      const issues = (err.extra.errors as FieldIssue[] | undefined) ?? [];
      const errors = err.code === 'validation_failed' ? errorsByQuestion(await surveys.publicView(id, undefined), issues) : undefined;
      return await show(req, res, err.status, { error: MESSAGES[err.code] ?? 'Không gửi được phiếu khảo sát, vui lòng thử lại.', form, errors, back });
    }
    respondent.keep();
    const site = await sites.get(p.site);
    res.redirect(303, surveyUrl(id, { done: '1', back: backLink(back, site) }));
  });
  return r;
}
