import { ApiError, enc, type FieldError } from './api.js';
import { fill, h, on, shadow } from './dom.js';
import { captchaBox } from './captcha.js';
import { failure, say } from './poll.js';
import { get, set } from './storage.js';
import type { Ctx } from './types.js';

interface PublicComment {
  id: string;
  name: string;
  address: string | null;
  content: string;
  createdAt: string;
  replies?: PublicComment[];
}
interface Page {
  total: number;
  comments: PublicComment[];
  nextCursor: string | null;
}

const FIELDS = ['name', 'address', 'email', 'content', 'captchaAnswer'] as const;
type Field = (typeof FIELDS)[number];
const SAVED: Field[] = ['name', 'address', 'email', 'content'];

/** `<div data-ykien-comments="THREAD" data-ykien-site="SITE">`: approved comments and the form. */
export function mountComments(host: HTMLElement, ctx: Ctx): void {
  const thread = host.getAttribute('data-ykien-comments') || '';
  const site = ctx.site || '';
  const { t, num, date } = ctx.loc;
  const base = `v1/sites/${enc(site)}`;
  const draftKey = `ykien:draft:${site}:${thread}`;
  const root = shadow(host);
  if (!site || !thread) {
    // A thread needs its site: say so in the widget rather than call a URL that cannot exist.
    root.append(h('div', { class: 'yk', lang: ctx.loc.lang }, h('div', { class: 'msg err', role: 'alert' }, t.notFound)));
    return;
  }

  let total = 0;
  let parentId: string | null = null;
  const title = h('h2', { class: 'ct' });
  const list = h('ul', { class: 'cl' });
  const listMsg = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'lk', hidden: true }, t.more);
  const setTotal = (n: number) => (title.textContent = t.commentsTitle(num((total = n))));

  // ---- list ---------------------------------------------------------------
  const item = (c: PublicComment): HTMLLIElement => {
    const li = h(
      'li',
      { class: 'c' },
      h('p', null, h('span', { class: 'cn' }, c.name), c.address && h('span', { class: 'cm' }, ` – ${c.address}`)),
      h('p', { class: 'cm' }, h('time', { datetime: c.createdAt }, date(c.createdAt))),
      h('p', { class: 'cc' }, c.content),
    );
    if (c.replies) {
      const reply = h('button', { type: 'button', class: 'lk' }, t.reply);
      on(reply, 'click', () => replyTo(c));
      li.append(reply);
      if (c.replies.length) li.append(h('ul', null, ...c.replies.map(item)));
    }
    return li;
  };

  let cursor: string | null = null;
  const loadList = async (next = false) => {
    if (!next) fill(listMsg, h('p', { class: 'note' }, t.loading));
    try {
      const page = await ctx.api<Page>(`${base}/threads/${enc(thread)}/comments${next && cursor ? `?cursor=${enc(cursor)}` : ''}`);
      if (!next) list.textContent = '';
      setTotal(page.total);
      list.append(...page.comments.map(item));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      fill(listMsg, !list.childElementCount && h('p', { class: 'note' }, t.none));
    } catch (e) {
      failure(listMsg, ctx, e, () => loadList(next));
    }
  };
  on(more, 'click', () => loadList(true));

  // ---- form ---------------------------------------------------------------
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  const errs = {} as Record<Field, HTMLElement>;
  const field = (name: Field, label: string, required: boolean, el: HTMLInputElement | HTMLTextAreaElement, extra?: Node) => {
    el.id = `f-${name}`;
    el.name = name;
    if (required) el.setAttribute('aria-required', 'true');
    el.setAttribute('aria-describedby', `e-${name}`);
    inputs[name] = el;
    errs[name] = h('p', { class: 'fe', id: `e-${name}` });
    return h(
      'div',
      { class: 'f' },
      h('label', { for: el.id }, label, required && ' ', required && h('span', { class: 'st' }, '(*)')),
      extra,
      el,
      errs[name],
    );
  };
  const cap = captchaBox(ctx, base, (input, extra) => field('captchaAnswer', t.captcha, true, input, extra));
  const capRow = cap.row;
  const hp = h('input', { type: 'text', name: 'website', tabindex: -1, autocomplete: 'off' });
  const msg = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn' }, t.send);
  const replyBox = h('div');
  const form = h(
    'form',
    { class: 'cf', novalidate: true },
    replyBox,
    h('p', { class: 'note' }, t.required),
    field('name', t.name, true, h('input', { type: 'text', autocomplete: 'name', maxlength: 100 })),
    field('address', t.address, false, h('input', { type: 'text', autocomplete: 'street-address', maxlength: 200 })),
    field('email', t.email, false, h('input', { type: 'email', autocomplete: 'email', maxlength: 254 })),
    field('content', t.content, true, h('textarea', { rows: 6, maxlength: 5000 })),
    capRow,
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', null, t.hp, hp)),
    msg,
    h('div', { class: 'row' }, send),
  );

  const replyTo = (c: PublicComment | null) => {
    parentId = c ? c.id : null;
    if (!c) return fill(replyBox);
    const cancel = h('button', { type: 'button', class: 'lk' }, t.cancel);
    on(cancel, 'click', () => replyTo(null));
    fill(replyBox, h('p', { class: 'rp' }, h('span', null, t.replyTo(c.name)), cancel));
    inputs.content.focus();
  };

  // What the visitor typed survives errors and reloads until it is sent.
  const save = () => set(draftKey, JSON.stringify(Object.fromEntries(SAVED.map((k) => [k, inputs[k].value]))), true);
  try {
    const draft = JSON.parse(get(draftKey, true) || '{}') as Record<string, unknown>;
    for (const k of SAVED) if (typeof draft[k] === 'string') inputs[k].value = draft[k] as string;
  } catch {
    /* a broken draft is dropped */
  }
  on(form, 'input', save);

  const loadCaptcha = cap.load;

  const showErrors = (list: [Field, string][]) => {
    for (const k of FIELDS) {
      errs[k].textContent = '';
      inputs[k].removeAttribute('aria-invalid');
    }
    for (const [k, m] of list) {
      errs[k].textContent = m;
      inputs[k].setAttribute('aria-invalid', 'true');
    }
    if (list[0]) inputs[list[0][0]].focus();
  };

  const serverErrors = (errors: FieldError[] = []): [Field, string][] =>
    errors.flatMap((e): [Field, string][] => {
      const f = e.field as Field;
      if (!FIELDS.includes(f)) return [];
      if (e.code === 'too_big' || /at most/.test(e.message)) return [[f, t.eLong]];
      return [[f, f === 'name' ? t.eName : f === 'content' ? t.eContent : f === 'email' ? t.eEmail : f === 'captchaAnswer' ? t.eCaptcha : t.eInvalid]];
    });

  on(form, 'submit', async (ev) => {
    ev.preventDefault();
    say(msg, '');
    const v = (k: Field) => inputs[k].value.trim();
    const local: [Field, string][] = [];
    if (!v('name')) local.push(['name', t.eName]);
    if (v('email') && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v('email'))) local.push(['email', t.eEmail]);
    if (!v('content')) local.push(['content', t.eContent]);
    if (cap.needsAnswer() && !v('captchaAnswer')) local.push(['captchaAnswer', t.eCaptcha]);
    showErrors(local);
    if (local.length) return;
    send.disabled = true;
    send.textContent = t.sending;
    try {
      const proof = await cap.proof();
      const res = await ctx.api<{ status: string; comment?: PublicComment }>(`${base}/threads/${enc(thread)}/comments`, {
        name: v('name'),
        address: v('address'),
        email: v('email'),
        content: inputs.content.value,
        ...proof,
        parentId: parentId ?? undefined,
        website: hp.value,
      });
      inputs.content.value = '';
      inputs.captchaAnswer.value = '';
      save();
      say(msg, res.status === 'approved' ? t.approved : t.pending, true);
      if (res.status === 'approved') void loadList();
      replyTo(null);
      void loadCaptcha();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'error');
      if (err.code === 'validation_failed') {
        const fe = serverErrors(err.body.errors);
        showErrors(fe);
        if (!fe.length) say(msg, t.eInvalid);
      } else if (/^(captcha|pow)_/.test(err.code)) {
        await loadCaptcha();
        if (cap.needsAnswer()) showErrors([['captchaAnswer', err.code === 'captcha_required' ? t.eCaptcha : t.eCaptchaBad]]);
        else say(msg, t.ePow);
      } else if (err.code === 'too_fast') {
        say(msg, t.tooFast);
      } else failure(msg, ctx, err, () => send.click());
    } finally {
      send.disabled = false;
      send.textContent = t.send;
    }
  });

  setTotal(0);
  root.append(h('div', { class: 'yk', lang: ctx.loc.lang }, h('section', null, title, listMsg, list, more, form)));
  void loadList();
  void loadCaptcha();
}
