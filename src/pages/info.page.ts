import { html, page } from './html.js';

/**
 * "/" when there is no demo (production, or after the demo site was deleted): what this service is,
 * for whoever opens its address, with nothing a visitor could mistake for a portal.
 */
export function infoPage(): string {
  const body = html`
<main>
<h1>ykien</h1>
<p>Dịch vụ thăm dò ý kiến, ý kiến bạn đọc và bộ đếm lượt xem cho các cổng thông tin điện tử. Các cổng thông tin nhúng
dịch vụ bằng một thẻ <code>&lt;script&gt;</code>; trang này không có nội dung dành cho bạn đọc.</p>
<p lang="en">Polls, reader comments and view counters for web portals, embedded with one script tag. There is nothing
for readers on this page.</p>
<ul>
<li><a href="/healthz">/healthz</a>: tình trạng dịch vụ (<span lang="en">service health</span>)</li>
<li><a href="/widget.js">/widget.js</a>: tập lệnh nhúng (<span lang="en">the embeddable script</span>)</li>
<li>Tài liệu: <code>README.md</code> và <code>docs/api.md</code> trong mã nguồn (<span lang="en">documentation: README.md and docs/api.md in the source</span>)</li>
</ul>
</main>`;
  return page({ title: 'ykien', css: '/p.css', body });
}
