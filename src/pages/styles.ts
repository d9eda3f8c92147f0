/** Stylesheets of the demo and no-JS pages, served as files (CSP: style-src 'self'). */
export const DEMO_CSS = `
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#222;font:15px/1.6 Arial,"Helvetica Neue",Helvetica,sans-serif}
a{color:#0b5aa2}
.wrap{max-width:1100px;margin:0 auto;padding:0 14px}
.top{background:linear-gradient(180deg,#0b5aa2,#084a86);color:#fff;padding:18px 0}
.brand{margin:0;font-size:15px;letter-spacing:.5px;text-transform:uppercase}
.brand strong{display:block;font-size:24px;color:#ffe082}
.menu{background:#c62828}
.menu a{display:inline-block;color:#fff;text-decoration:none;padding:9px 12px;font-weight:700;font-size:13px;text-transform:uppercase}
.menu a:hover,.menu a:focus{background:#a31f1f}
.cols{display:flex;flex-wrap:wrap;gap:20px;margin-top:16px;margin-bottom:24px}
.main{flex:1 1 620px;min-width:0;background:#fff;border:1px solid #d6dde6;padding:16px 20px}
.side{flex:0 1 300px;min-width:260px}
.crumb{margin:0 0 8px;color:#666;font-size:13px;border-bottom:1px solid #e3e7ec;padding-bottom:6px}
h1{font-size:21px;line-height:1.4;color:#0b5aa2;margin:6px 0 6px}
.meta{color:#666;font-size:13px;margin:0 0 12px}
.meta span+span{margin-left:14px}
.lead{font-weight:700}
article h3{font-size:15px;margin:14px 0 4px}
article p{margin:0 0 10px;text-align:justify}
.author{text-align:right!important;font-weight:700;font-style:italic}
.survey{margin-top:22px;border:1px solid #d6dde6;border-top:3px solid #0b5aa2;padding:12px 14px;background:#fbfcfe}
.comments{margin-top:22px}
.back{margin-top:16px;font-size:13px}
.box{background:#fff;border:1px solid #d6dde6;margin-bottom:16px}
.box h2{margin:0;background:#0b5aa2;color:#fff;font-size:14px;text-transform:uppercase;padding:8px 12px}
.box .in{padding:12px}
.box ul{margin:0;padding:0 0 0 18px;font-size:14px}
.box li{margin:4px 0}
footer{background:#084a86;color:#dfe8f3;font-size:13px;padding:16px 0}
footer p{margin:3px 0}
footer strong{color:#fff}
.stats{margin-top:8px!important;color:#ffe082}
.stats span+span{margin-left:14px}
@media (max-width:700px){.brand strong{font-size:18px}.side{flex-basis:100%}}
`;

export const POLL_CSS = `
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#222;font:16px/1.5 Arial,Helvetica,sans-serif}
main{max-width:560px;margin:0 auto;background:#fff;border:1px solid #d6dde6;padding:16px}
.site{margin:0 0 10px;color:#0b5aa2;font-weight:700;text-transform:uppercase;font-size:14px}
fieldset{border:0;margin:0;padding:0}
legend,h1{font-size:18px;font-weight:700;margin:0 0 10px;padding:0}
label{display:block;padding:6px 0}
input{width:18px;height:18px;vertical-align:-3px;margin-right:8px}
button{background:#0b5aa2;color:#fff;border:0;padding:8px 18px;font:inherit;font-weight:700;border-radius:3px;margin-top:8px}
.note{color:#555}
.ok{background:#edf7ed;border-left:3px solid #2e7d32;padding:6px 10px}
.err{background:#fdecea;border-left:3px solid #b3261e;padding:6px 10px;color:#8c1d18}
ul{list-style:none;margin:0;padding:0}
li{margin:10px 0}
meter{display:block;width:100%;height:14px}
.num{display:flex;justify-content:space-between;color:#555;font-size:14px}
.tot{font-weight:700;border-top:1px solid #d6dde6;padding-top:8px}
`;

/** /s/:id: the poll page's look, with room for many questions, scale rows and matrix tables. */
export const SURVEY_CSS = `${POLL_CSS}
main{max-width:760px}
h1{color:#0b5aa2}
h2{font-size:17px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid #d6dde6}
h3{font-size:16px;margin:16px 0 6px}
h4{font-size:15px;font-weight:400;margin:10px 0 0}
.intro{white-space:pre-line}
fieldset{margin:16px 0}
.opt{display:flex;align-items:center;gap:8px;min-height:44px;padding:4px 0}
.opt input,td input{margin:0;flex:none}
.st,.err-q{color:#b3261e}
.err-q{margin:4px 0 0;font-weight:700}
.err-q:empty{display:none}
.sc{display:flex;flex-wrap:wrap;gap:4px 14px}
.mx{width:100%;border-collapse:collapse}
.mx th,.mx td{border-bottom:1px solid #d6dde6;padding:4px;text-align:center;font-size:14px}
.mx thead th{font-weight:400;color:#555;vertical-align:bottom}
.mx tbody th{text-align:left;font-weight:400}
.mx label{display:flex;justify-content:center;align-items:center;min-height:44px;min-width:32px;padding:0}
textarea,.tx{display:block;width:100%;font:inherit;padding:8px;border:1px solid #8a96a3;border-radius:3px;min-height:44px}
input.tx{height:auto;vertical-align:baseline;margin:0}
[aria-invalid=true]{outline:2px solid #b3261e}
button{min-height:44px}
`;
