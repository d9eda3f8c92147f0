import { DEMO_POLL_ID, DEMO_SITE_ID, DEMO_THREAD } from '../demo/seed.js';
import { ARTICLE } from './article.js';
import { html, page, raw } from './html.js';

/** Inside a counter span: without JavaScript a dash says "not available"; with it, the number replaces it. */
const NO_JS_FIGURE = raw('<noscript>–</noscript>');

const isHeading = (p: string) => p.length < 60 && !/[.:;]$/.test(p);

/**
 * The demo at "/": a commune portal's article page with the widget's pieces where a portal
 * has them — "Lượt xem" under the date, the citizen-satisfaction survey under the article, the
 * sidebar poll, the comment section and the footer's visit counters — embedded exactly as an
 * operator would (one script tag).
 */
export function demoPage(surveyId?: string): string {
  const site = DEMO_SITE_ID;
  const body = html`
<header class="top"><div class="wrap"><p class="brand">Cổng thông tin điện tử <strong>Xã Tiên Ngọc, huyện Tiên Phước</strong></p></div></header>
<nav class="menu" aria-label="Danh mục chính"><div class="wrap"><a href="/">Trang chủ</a><a href="/">Giới thiệu</a><a href="/">Tin tức - Sự kiện</a><a href="/">Văn bản</a><a href="/">Thủ tục hành chính</a><a href="/">Liên hệ</a></div></nav>
<div class="wrap cols">
<main class="main">
<p class="crumb">Chi tiết tin</p>
<article>
<h1>${ARTICLE.title}</h1>
<p class="meta"><span>Ngày đăng: ${ARTICLE.posted}</span> <span>Lượt xem: <span data-ykien-views="${DEMO_THREAD}" data-ykien-site="${site}">${NO_JS_FIGURE}</span></span></p>
<p class="lead">${ARTICLE.summary}</p>
${ARTICLE.body.map((p) => (isHeading(p) ? html`<h3>${p}</h3>\n` : html`<p>${p}</p>\n`))}
<p class="author">Tác giả: ${ARTICLE.author}</p>
</article>
${surveyId ? html`<section class="survey" aria-label="Khảo sát mức độ hài lòng">
<div data-ykien-survey="${surveyId}"></div>
<noscript><p><a href="/s/${surveyId}">Tham gia khảo sát mức độ hài lòng</a></p></noscript>
</section>
` : ''}<section class="comments" aria-label="Ý kiến bạn đọc">
<div data-ykien-comments="${DEMO_THREAD}" data-ykien-site="${site}"></div>
<noscript><p>Bật JavaScript để xem và gửi ý kiến.</p></noscript>
</section>
<p class="back"><a href="/">[Trở về]</a></p>
</main>
<aside class="side">
<section class="box"><h2>Thông báo</h2><div class="in"><ul>
<li><a href="/">Lịch tiếp công dân tháng 6/2024</a></li>
<li><a href="/">Thông báo tuyển dụng công chức cấp xã</a></li>
</ul></div></section>
<section class="box"><h2>Thăm dò ý kiến</h2><div class="in">
<div data-ykien-poll="${DEMO_POLL_ID}"></div>
<noscript><p><a href="/p/${DEMO_POLL_ID}">Bình chọn</a></p></noscript>
</div></section>
<section class="box"><h2>Liên kết website</h2><div class="in"><ul>
<li><a href="/">Cổng thông tin điện tử tỉnh Quảng Nam</a></li>
<li><a href="/">Huyện Tiên Phước</a></li>
</ul></div></section>
</aside>
</div>
<footer><div class="wrap">
<p><strong>CỔNG THÔNG TIN ĐIỆN TỬ XÃ TIÊN NGỌC, HUYỆN TIÊN PHƯỚC</strong></p>
<p>Địa chỉ: Xã Tiên Ngọc - Tiên Phước - Quảng Nam</p>
<p>Phát triển bởi Trung Tâm Công Nghệ Thông Tin &amp; Truyền Thông Quảng Nam (QTI)</p>
<p class="stats"><span>Tổng số lượt truy cập: <span data-ykien-site-visits data-ykien-site="${site}">${NO_JS_FIGURE}</span></span> <span>Đang truy cập: <span data-ykien-online data-ykien-site="${site}">${NO_JS_FIGURE}</span></span></p>
</div></footer>
<script src="/widget.js" async></script>`;
  return page({ title: `${ARTICLE.title} - Xã Tiên Ngọc`, css: '/demo.css', body });
}
