import { ApiError, enc, type FieldError } from './api.js';
import { captchaBox } from './captcha.js';
import { fill, h, on, shadow, typed } from './dom.js';
import { failure, say } from './poll.js';
import { get, randomId, set } from './storage.js';
import type { PostResult, PublicComment as ApiComment, ThreadPage as Page } from '../src/api/comments.js';
import type { Ctx } from './types.js';
import { pathKey } from '../src/api/threadKey.js';

/** A comment as shown: from the thread (with its replies), or the writer's own pending one. */
type PublicComment = ApiComment & { replies?: ApiComment[] };

const FIELDS = ['name', 'address', 'email', 'content', 'captchaAnswer'] as const;
type Field = (typeof FIELDS)[number];
/** Who the writer is: kept (in localStorage) only when they tick "Ghi nhớ thông tin của tôi". */
const IDENTITY: Field[] = ['name', 'address', 'email'];
const ME_KEY = 'ykien:me';

/**
 * `<div data-ykien-comments="THREAD" data-ykien-site="SITE">`: approved comments and the form.
 * An empty THREAD is the page's path, as for the view counters.
 */
export function mountComments(host: HTMLElement, ctx: Ctx): void {
  const thread = host.getAttribute('data-ykien-comments') || pathKey(location);
  const site = ctx.site || '';
  const { t, num, date } = ctx.loc;
  const base = `v1/sites/${enc(site)}`;
  const draftKey = `ykien:draft:${site}:${thread}`;
  const root = shadow(host);
  if (!site) {
    // A thread needs its site: say so in the widget rather than call a URL that cannot exist.
    root.append(h('div', { class: 'yk', lang: ctx.loc.lang }, h('div', { class: 'msg err', role: 'alert' }, t.notFound)));
    return;
  }

  let total = 0;
  let parentId: string | null = null;
  // No number until the first answer: "(0)" would be a wrong count while it loads.
  const title = h('h2', { class: 'ct' }, t.commentsHeading);
  const list = h('ul', { class: 'cl' });
  const listMsg = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'lk', hidden: true }, t.more);
  const setTotal = (n: number) => (title.textContent = t.commentsTitle(num((total = n))));

  // ---- list ---------------------------------------------------------------
  /** Top-level comments on show, by id: where the writer's own pending replies go. */
  const shown = new Map<string, HTMLLIElement>();
  const item = (c: PublicComment, awaiting = false): HTMLLIElement => {
    const li = h(
      'li',
      { class: awaiting ? 'c mine' : 'c' },
      h('p', null, typed('span', 'cn', c.name), c.address && h('span', { class: 'cm' }, ' – ', typed('span', null, c.address))),
      h('p', { class: 'cm' }, h('time', { datetime: c.createdAt }, date(c.createdAt)), awaiting && h('span', { class: 'aw' }, t.awaiting)),
      typed('p', 'cc', c.content),
    );
    if (c.replies && !awaiting) {
      shown.set(c.id, li);
      const reply = h('button', { type: 'button', class: 'lk' }, t.reply);
      on(reply, 'click', () => replyTo(c));
      li.append(reply);
      if (c.replies.length) li.append(h('ul', null, ...c.replies.map((r) => item(r))));
    }
    return li;
  };

  /**
   * The writer's own comments waiting for a moderator, as they typed them: shown to them for
   * this page view only (nothing is stored), so the next person at the computer sees nothing.
   */
  const mine: { li: HTMLLIElement; parentId: string | null }[] = [];
  /** (Re)places them last, where the newest comment goes, after the list or a page of it loads. */
  const showMine = () => {
    for (const { li, parentId } of mine) {
      const parent = parentId ? shown.get(parentId) : undefined;
      if (parentId && !parent) continue;
      (parent ? parent.querySelector(':scope > ul') || parent.appendChild(h('ul')) : list).append(li);
    }
    if (mine.length) fill(listMsg);
  };

  let cursor: string | null = null;
  const loadList = async (next = false) => {
    if (!next) fill(listMsg, h('p', { class: 'note' }, t.loading));
    try {
      const page = await ctx.api<Page>(`${base}/threads/${enc(thread)}/comments${next && cursor ? `?cursor=${enc(cursor)}` : ''}`);
      if (!next) {
        list.textContent = '';
        shown.clear();
      }
      setTotal(page.total);
      list.append(...page.comments.map((c) => item(c)));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      fill(listMsg, !list.childElementCount && h('p', { class: 'note' }, t.none));
      showMine();
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
  const remember = h('input', { type: 'checkbox', id: 'f-remember' });
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
    h('div', { class: 'f' }, h('label', { class: 'opt', for: remember.id }, remember, h('span', null, t.remember))),
    msg,
    h('div', { class: 'row' }, send),
  );

  const replyTo = (c: PublicComment | null) => {
    parentId = c ? c.id : null;
    if (!c) return fill(replyBox);
    const cancel = h('button', { type: 'button', class: 'lk' }, t.cancel);
    on(cancel, 'click', () => replyTo(null));
    fill(replyBox, h('p', { class: 'rp' }, h('span', null, `${t.replyTo} `, typed('span', null, c.name)), cancel));
    inputs.content.focus();
  };

  // The comment being written survives errors and reloads of this tab until it is sent. Who wrote
  // it is kept only when the writer asks: on a shared office computer the next person must not
  // find their name and e-mail filled in.
  const save = () => {
    set(draftKey, inputs.content.value ? JSON.stringify({ content: inputs.content.value }) : null, true);
    set(ME_KEY, remember.checked ? JSON.stringify(Object.fromEntries(IDENTITY.map((k) => [k, inputs[k].value]))) : null);
  };
  const restore = (key: string, fields: Field[], session: boolean) => {
    try {
      const saved = JSON.parse(get(key, session) || 'null') as Record<string, unknown> | null;
      for (const k of fields) if (saved && typeof saved[k] === 'string') inputs[k].value = saved[k] as string;
      return !!saved;
    } catch {
      return false; // a broken entry is dropped by the next save
    }
  };
  remember.checked = restore(ME_KEY, IDENTITY, false);
  restore(draftKey, ['content'], true);
  save(); // also drops what older versions kept in the draft (name, address, e-mail)
  on(form, 'input', save);
  on(remember, 'change', save);

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

  /** One Idempotency-Key per comment, kept until it is stored, so "Thử lại" cannot store it twice. */
  let attempt: { key: string; of: string } | null = null;

  /** After the service took the comment: the form is emptied for the next one (and the next person). */
  const sent = (status: string | null, id: string) => {
    if (status === 'pending') {
      const c = { id, name: inputs.name.value.trim(), address: inputs.address.value.trim() || null, content: inputs.content.value.trim(), createdAt: new Date().toISOString() };
      mine.push({ li: item(c, true), parentId });
      showMine();
    }
    attempt = null;
    inputs.content.value = '';
    inputs.captchaAnswer.value = '';
    if (!remember.checked) for (const k of IDENTITY) inputs[k].value = '';
    save();
    replyTo(null);
    void loadCaptcha();
  };

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
    const comment = { name: v('name'), address: v('address'), email: v('email'), content: inputs.content.value, parentId: parentId ?? undefined };
    // A changed comment is a new one; the same comment sent again (a retry) keeps its key.
    const of = JSON.stringify(comment);
    if (!attempt || attempt.of !== of) attempt = { key: randomId(), of };
    send.disabled = true;
    send.textContent = t.sending;
    try {
      const proof = await cap.proof();
      const res = await ctx.api<PostResult>(
        `${base}/threads/${enc(thread)}/comments`,
        { ...comment, ...proof, website: hp.value },
        { 'Idempotency-Key': `"${attempt.key}"` },
      );
      sent(res.status, res.id);
      say(msg, res.status === 'approved' ? t.approved : t.pending, true);
      if (res.status === 'approved') void loadList();
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
      } else if (err.code === 'duplicate_comment') {
        // Already stored (an earlier send whose answer was lost, then a reload): nothing to resend.
        sent(null, '');
        say(msg, t.duplicate, true);
      } else {
        if (err.code === 'idempotency_key_reused') attempt = null;
        failure(msg, ctx, err, () => send.click());
      }
    } finally {
      send.disabled = false;
      send.textContent = t.send;
    }
  });

  root.append(h('div', { class: 'yk', lang: ctx.loc.lang }, h('section', null, title, listMsg, list, more, form)));
  void loadList();
  void loadCaptcha();
}
