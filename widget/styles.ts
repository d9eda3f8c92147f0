/**
 * Styles inside the shadow root. `:host` resets everything the page could push in
 * (its !important declarations win over the page's), except the font family, which
 * inherits. Theme with --ykien-accent, --ykien-text, --ykien-font-size, --ykien-radius.
 * Every button and option is at least 44×44 px (a thumb, not a mouse), inputs use 16 px text
 * or more (iOS zooms into anything smaller), and typed text is isolated ([dir=auto]).
 */
export const css = `
:host{all:initial!important;display:block!important;font-family:inherit!important;contain:content}
:host([hidden]){display:none!important}
.yk{--a:var(--ykien-accent,#0b5aa2);--t:var(--ykien-text,#222);--m:#666;--b:#d6dde6;--r:var(--ykien-radius,3px);color:var(--t);font-size:var(--ykien-font-size,14px);line-height:1.5;text-align:left}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
p,ul,ol,fieldset,form,h2{margin:0;padding:0}
ul,ol{list-style:none}
fieldset{border:0;min-width:0}
.q,legend{font-weight:700;margin-bottom:8px;padding:0}
.opt{display:flex;gap:10px;align-items:center;min-height:44px;padding:4px 0;cursor:pointer}
.opt input{margin:0;accent-color:var(--a);width:20px;height:20px;flex:none}
[dir=auto]{unicode-bidi:isolate}
.hint,.note{color:var(--m);font-size:.9em;margin:4px 0}
.row{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin-top:10px}
button,input,textarea{font:inherit;color:inherit}
.btn{background:var(--a);color:#fff;border:1px solid var(--a);border-radius:var(--r);min-height:44px;min-width:44px;padding:8px 16px;cursor:pointer;font-weight:700}
.btn:hover{filter:brightness(1.1)}
.btn[disabled]{opacity:.85;cursor:default}
.lk{background:none;border:0;padding:0;min-height:44px;min-width:44px;display:inline-flex;align-items:center;justify-content:center;color:var(--a);text-decoration:underline;cursor:pointer}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.msg{margin-top:8px}
.msg:empty,.fe:empty{display:none}
.err{color:#b3261e}
.ok{color:#1b5e20;background:#edf7ed;border-left:3px solid #2e7d32;padding:6px 10px}
.rt{font-weight:700;color:var(--a);text-transform:uppercase;margin-bottom:6px}
.rt:focus{outline:0}
.rl li{margin:8px 0}
.bar{display:block;height:10px;background:#e9eef4;border-radius:var(--r);overflow:hidden;margin:3px 0}
.fill{display:block;height:100%;background:var(--a);width:0}
.num{display:flex;justify-content:space-between;color:var(--m);font-size:.9em}
.tot{font-weight:700;margin-top:8px;border-top:1px solid var(--b);padding-top:6px}
.ct{font-size:1.1em;font-weight:700;color:var(--a);border-bottom:2px solid var(--a);padding-bottom:4px;margin-bottom:10px}
.c{border-bottom:1px dotted var(--b);padding:8px 0}
.c .c{border:0;border-left:3px solid var(--b);margin:6px 0 0 12px;padding:4px 0 4px 10px}
.cn{font-weight:700}
.cm{color:var(--m);font-size:.9em}
.aw{display:inline-block;margin-left:8px;padding:0 6px;border-radius:var(--r);background:#fff4d6;color:#6b4500;font-weight:700}
.mine{background:#fffcf2}
.cc{white-space:pre-line;overflow-wrap:anywhere;margin:4px 0}
.cf{margin-top:14px;background:#f5f7fa;border:1px solid var(--b);border-radius:var(--r);padding:12px}
.f{margin-bottom:10px}
.f label{display:block;font-weight:700;margin-bottom:3px}
.f .opt{display:flex;font-weight:400;margin:0}
.st{color:#b3261e}
.f input:not([type=checkbox]),.f textarea{display:block;width:100%;max-width:32em;min-height:44px;font-size:max(16px,1em);background:#fff;border:1px solid #aab4c0;border-radius:var(--r);padding:8px 10px}
.f textarea{max-width:none;min-height:7em;resize:vertical}
.f input.cap{width:9em}
[aria-invalid=true]{border-color:#b3261e!important}
.fe{color:#b3261e;font-size:.9em;margin-top:3px}
.cap-img{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;margin-bottom:6px}
.cap-img img{max-width:100%;height:auto;border:1px solid var(--b);background:#fff}
.cap-alt{margin-bottom:6px}
.cap-alt progress{display:block;width:100%;max-width:20em;margin:4px 0}
.yk [hidden]{display:none!important}
.hp{position:absolute!important;left:-9999px;width:1px;height:1px;overflow:hidden}
.rp{display:flex;flex-wrap:wrap;gap:0 10px;align-items:center;background:#e9eef4;padding:4px 8px;margin-bottom:10px;border-radius:var(--r)}
@media (prefers-reduced-motion:no-preference){.fill{transition:width .6s ease-out}}
`;
