/**
 * The survey chunk's styles, added to the shared ones (widget/styles.ts) in its shadow root.
 * Every radio, checkbox and button is a target of at least 44 px height; matrix cells at least 36×44.
 */
export const surveyCss = `
.sv h2{font-size:1.15em;font-weight:700;color:var(--a);margin:0 0 6px;line-height:1.35}
.sv h3{font-size:1em;font-weight:700;margin:16px 0 6px;padding-bottom:3px;border-bottom:1px solid var(--b);line-height:1.35}
.sv h3.cur{margin-top:6px}
.intro{white-space:pre-line;margin:0 0 8px}
.prog{font-weight:700;color:var(--m);margin:8px 0 0}
.prog:focus{outline:0}
.pb{display:block;height:4px;background:#e9eef4;border-radius:2px;margin:4px 0 6px;overflow:hidden}
.pb span{display:block;height:100%;background:var(--a);width:0}
.qw{margin:14px 0}
.qw legend{display:block;width:100%}
.sc{display:flex;gap:6px}
.btn.sec{background:#fff;color:var(--a)}
.sc label{flex:1 1 0;min-width:0;display:flex;flex-direction:column;align-items:center;gap:4px;text-align:center;min-height:44px;padding:6px 2px;border:1px solid var(--b);border-radius:var(--r);cursor:pointer;font-size:.9em;line-height:1.3;overflow-wrap:anywhere}
.sc input,.mx input{margin:0;width:20px;height:20px;accent-color:var(--a);flex:none}
.mx{border-collapse:collapse;width:100%;table-layout:fixed}
.mx th,.mx td{border-bottom:1px solid var(--b);padding:2px;text-align:center;vertical-align:middle}
.mx thead th{font-weight:400;font-size:.8em;line-height:1.25;color:var(--m);vertical-align:bottom;overflow-wrap:anywhere;padding-bottom:4px}
.mx tbody th{text-align:left;font-weight:400;padding:6px 4px 6px 0;overflow-wrap:anywhere}
.mx .it{width:34%}
.mx label{display:flex;align-items:center;justify-content:center;min-height:44px;min-width:24px;cursor:pointer}
.mx tr.bad th{color:#b3261e;font-weight:700}
.tx{display:block;width:100%;min-height:44px;font-size:max(16px,1em);background:#fff;border:1px solid #aab4c0;border-radius:var(--r);padding:8px 10px}
textarea.tx{min-height:6em;resize:vertical}
.live{margin:4px 0 0}
.res .qr{margin:12px 0}
.res .it{margin:10px 0 0;padding-left:8px;border-left:3px solid var(--b);font-weight:700}
.mean{margin:2px 0}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
