import { zonedParts } from '../exports/zone.js';
import { html, raw } from '../pages/html.js';
import type { Site } from '../sites/sites.store.js';
import type { WaitingComment } from './mail.store.js';

/** Comments a digest lists one by one; the rest are counted. */
export const DIGEST_LISTED = 50;
const EXCERPT_CHARS = 300;

const pad = (n: number) => String(n).padStart(2, '0');

/** "08/06/2026 15:27" in the site's zone, as a Vietnamese reader writes a date. */
export function localTime(ms: number, tz: string): string {
  const p = zonedParts(ms, tz);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The article's address when the thread key is its path (what the widget uses by default) and the site has an origin. */
export function articleUrl(site: Pick<Site, 'origins'>, threadKey: string): string | undefined {
  const origin = site.origins[0];
  if (!origin || !threadKey.startsWith('/') || threadKey.startsWith('//')) return undefined;
  try {
    const u = new URL(threadKey, origin);
    return u.origin === origin ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The console's moderation queue of the site. */
export const queueUrl = (publicUrl: string, siteId: string) => `${publicUrl.replace(/\/+$/, '')}/admin/#/comments?site=${encodeURIComponent(siteId)}`;

const excerpt = (s: string) => {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('')}…` : chars.join('');
};

const FOOTER =
  'Thư này do ykien gửi tự động tới những người kiểm duyệt của trang. Thư không bao giờ chứa địa chỉ e-mail hay địa chỉ IP của người gửi ý kiến.';

const layout = (body: ReturnType<typeof html>) =>
  html`<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">${body}<hr><p style="color:#555;font-size:13px">${FOOTER}</p></body></html>`.html;

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * One pending comment, for the site's moderators: who (the name only), where, when, what, and the link to the
 * queue. Every piece of user text goes into the HTML through html`` (escaped); the subject holds no user text.
 */
export function commentMail(site: Site, c: WaitingComment, publicUrl: string): MailContent {
  const link = articleUrl(site, c.threadKey);
  const queue = queueUrl(publicUrl, site.id);
  const when = localTime(c.createdAt, site.timezone);
  const text = [
    `Có một ý kiến mới đang chờ duyệt trên trang "${site.name}".`,
    '',
    `Người gửi: ${c.name}`,
    `Bài viết: ${c.threadKey}`,
    ...(link ? [`Địa chỉ bài viết: ${link}`] : []),
    `Thời gian: ${when} (${site.timezone})`,
    '',
    'Nội dung:',
    c.content,
    '',
    `Duyệt ý kiến: ${queue}`,
    '',
    '--',
    FOOTER,
    '',
  ].join('\n');
  const body = html`<p>Có một ý kiến mới đang chờ duyệt trên trang <strong>${site.name}</strong>.</p>
<table role="presentation" style="border-collapse:collapse">
<tr><th style="text-align:left;padding-right:12px">Người gửi</th><td>${c.name}</td></tr>
<tr><th style="text-align:left;padding-right:12px">Bài viết</th><td>${link ? html`<a href="${link}">${c.threadKey}</a>` : c.threadKey}</td></tr>
<tr><th style="text-align:left;padding-right:12px">Thời gian</th><td>${when} (${site.timezone})</td></tr>
</table>
<p style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:12px">${c.content}</p>
<p><a href="${queue}">Duyệt ý kiến</a></p>`;
  return { subject: `[${site.name}] Ý kiến mới chờ duyệt`, text, html: layout(body) };
}

/** Several pending comments in one mail: their number, then each with its article and an excerpt. */
export function digestMail(site: Site, comments: WaitingComment[], publicUrl: string): MailContent {
  const queue = queueUrl(publicUrl, site.id);
  const listed = comments.slice(0, DIGEST_LISTED);
  const more = comments.length - listed.length;
  const intro = `Có ${comments.length} ý kiến mới đang chờ duyệt trên trang "${site.name}".`;
  const text = [
    intro,
    '',
    ...listed.flatMap((c, i) => [
      `${i + 1}. ${c.name} - ${c.threadKey} - ${localTime(c.createdAt, site.timezone)}`,
      `   ${excerpt(c.content)}`,
      '',
    ]),
    ...(more > 0 ? [`... và ${more} ý kiến khác.`, ''] : []),
    `Duyệt ý kiến: ${queue}`,
    '',
    '--',
    FOOTER,
    '',
  ].join('\n');
  const body = html`<p>Có <strong>${comments.length}</strong> ý kiến mới đang chờ duyệt trên trang <strong>${site.name}</strong>.</p>
<ol>${listed.map((c) => {
    const link = articleUrl(site, c.threadKey);
    return html`<li><strong>${c.name}</strong> - ${link ? html`<a href="${link}">${c.threadKey}</a>` : c.threadKey} - ${localTime(c.createdAt, site.timezone)}<br>${excerpt(c.content)}</li>`;
  })}</ol>
${more > 0 ? html`<p>… và ${more} ý kiến khác.</p>` : raw('')}
<p><a href="${queue}">Duyệt ý kiến</a></p>`;
  return { subject: `[${site.name}] ${comments.length} ý kiến chờ duyệt`, text, html: layout(body) };
}
