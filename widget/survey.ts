import type { Answer, PublicSurvey, Question, ResponseAnswer, SurveyResults } from '../src/api/surveys.js';
import { asApiError, enc, type FieldError } from './api.js';
import { fill, h, on, shadow, typed } from './dom.js';
import { surveyStrings } from './i18n.js';
import { failure, say } from './poll.js';
import { get, set, browserId } from './storage.js';
import { surveyCss } from './survey.styles.js';
import { surveyResults } from './survey.results.js';
import type { Ctx } from './types.js';

/** Below this width (the host's, not the screen's) the survey shows one question at a time. */
const NARROW = 560;

type Input = HTMLInputElement | HTMLTextAreaElement;

/** One question on the form. */
interface Field {
  q: Question;
  /** The wrapper: the section heading it begins (if any) and its fieldset. */
  el: HTMLElement;
  heading: HTMLElement | null;
  /** The section it belongs to, carried from the question that began it. */
  section: string | null;
  inputs: Input[];
  read(): Answer | undefined;
  write(a: unknown): void;
  /** The reason it cannot be sent as it is, or "". */
  check(): string;
  /** Shows or clears its error; `rows` marks matrix rows by item id. */
  error(msg: string, rows?: string[]): void;
}

interface Draft {
  a: Record<string, unknown>;
  s: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `<div data-ykien-survey="ID">`: the questionnaire, then the thank-you and (where visible) the results. */
export function mountSurvey(host: HTMLElement, ctx: Ctx): void {
  const id = host.getAttribute('data-ykien-survey') || '';
  const { t, date } = ctx.loc;
  const s = surveyStrings(ctx.loc.lang);
  const respondent = browserId('voter');
  const root = shadow(host, surveyCss);
  const view = h('div', { class: 'view' });
  root.append(h('div', { class: 'yk sv', lang: ctx.loc.lang }, view));
  const path = `v1/surveys/${enc(id)}`;
  const draftKey = `ykien:survey:${id}`;
  let ro: ResizeObserver | undefined;

  const readDraft = (): Draft | null => {
    try {
      const d = JSON.parse(get(draftKey, true) || 'null') as Draft | null;
      return d && typeof d.a === 'object' && d.a && isNum(d.s) ? d : null;
    } catch {
      return null;
    }
  };

  const load = async () => {
    ro?.disconnect();
    fill(view, h('p', { class: 'note' }, t.loading));
    try {
      show(await ctx.api<PublicSurvey>(`${path}?respondentId=${enc(respondent)}`));
    } catch (e) {
      failure(view, ctx, e, load);
    }
  };

  const hiddenText = (p: PublicSurvey) => (p.resultsVisibility === 'after_vote' && p.status !== 'closed' ? s.hiddenRespond : s.hiddenClose(date(p.closesAt)));

  /** Everything but the form: thanks, responded, closed or not yet open, with the results where visible. */
  const show = (p: PublicSurvey, thanked = false): HTMLElement | undefined => {
    if (p.status === 'open' && !p.responded) return void form(p);
    ro?.disconnect();
    let res = p.results && surveyResults(p, p.results, ctx.loc);
    // While open, the page's live stream keeps the results current (read out only when asked: no live region).
    const update = (r: SurveyResults) => {
      if (!res?.isConnected) return;
      const fresh = surveyResults(p, r, ctx.loc);
      res.replaceWith(fresh);
      res = fresh;
    };
    if (res && p.status === 'open') ctx.live(p.site)('survey', id, update, () => ctx.api<SurveyResults>(`${path}/results?respondentId=${enc(respondent)}`).then(update));
    const head = h('p', { class: thanked || p.responded ? 'msg ok' : 'note', tabindex: -1 }, thanked || p.responded ? s.thanks : p.status === 'closed' ? s.closed : s.scheduled(date(p.opensAt)));
    fill(
      view,
      typed('h2', null, p.title),
      head,
      p.responded && !thanked && h('p', { class: 'note' }, s.responded),
      p.responded && p.status === 'closed' && h('p', { class: 'note' }, s.closed),
      res || p.status !== 'scheduled' && h('p', { class: 'note' }, hiddenText(p)),
    );
    return head;
  };

  const form = (p: PublicSurvey) => {
    const draft = readDraft();
    const total = p.questions.length;
    let section: string | null = null;
    const fields = p.questions.map((q, i) => {
      if (q.section) section = q.section;
      return field(q, i, section);
    });
    const msg = h('div', { class: 'msg' });
    const prog = h('p', { class: 'prog', tabindex: -1 });
    const progFill = h('span');
    const progBar = h('span', { class: 'pb', 'aria-hidden': 'true' }, progFill);
    const curSection = h('h3', { class: 'cur' });
    const back = h('button', { type: 'button', class: 'btn sec' }, s.prev);
    const next = h('button', { type: 'submit', class: 'btn' }, s.submit);
    const f = h(
      'form',
      { novalidate: true },
      p.questions.some((q) => q.required) && h('p', { class: 'hint' }, s.requiredNote),
      prog,
      progBar,
      curSection,
      ...fields.map((x) => x.el),
      p.closesAt && h('p', { class: 'hint' }, s.closes(date(p.closesAt))),
      msg,
      h('div', { class: 'row' }, back, next),
    );
    const intro = p.intro ? typed('p', 'intro', p.intro) : null;
    fill(view, typed('h2', null, p.title), intro, f);

    let stepped = false;
    let step = Math.min(Math.max(0, draft?.s ?? 0), total - 1);
    if (draft) for (const x of fields) x.write(draft.a[x.q.id]);

    const answers = () => {
      const a: Record<string, Answer> = {};
      for (const x of fields) {
        const v = x.read();
        if (v !== undefined) a[x.q.id] = v;
      }
      return a;
    };
    const save = () => set(draftKey, JSON.stringify({ a: answers(), s: step }), true);

    const layout = () => {
      fields.forEach((x, i) => {
        x.el.hidden = stepped && i !== step;
        if (x.heading) x.heading.hidden = stepped;
      });
      const cur = fields[step]?.section ?? null;
      prog.hidden = progBar.hidden = !stepped;
      curSection.hidden = !stepped || !cur;
      curSection.textContent = cur ?? '';
      curSection.setAttribute('dir', 'auto');
      prog.textContent = s.step(step + 1, total);
      progFill.style.setProperty('width', `${((step + 1) / total) * 100}%`);
      back.hidden = !stepped || step === 0;
      // On a phone the introduction is read once, on the first step; after it the question comes first.
      if (intro) intro.hidden = stepped && step > 0;
      next.textContent = stepped && step < total - 1 ? s.next : s.submit;
    };
    const measure = () => {
      const w = host.getBoundingClientRect().width;
      const narrow = w > 0 && w < NARROW;
      if (narrow !== stepped) {
        stepped = narrow;
        layout();
      }
    };
    layout();
    measure();
    if (typeof ResizeObserver === 'function') {
      ro?.disconnect();
      ro = new ResizeObserver(() => measure());
      ro.observe(host);
    }

    const go = (to: number) => {
      step = to;
      layout();
      save();
      prog.focus();
    };
    const focusField = (x: Field) => {
      const i = fields.indexOf(x);
      if (stepped && i !== step) {
        step = i;
        layout();
        save();
      }
      (x.inputs.find((el) => el.getAttribute('aria-invalid') === 'true' && !el.disabled) ?? x.inputs.find((el) => !el.disabled))?.focus();
    };

    on(f, 'input', save);
    on(f, 'change', save);
    on(back, 'click', () => step > 0 && go(step - 1));
    on(f, 'submit', async (ev) => {
      ev.preventDefault();
      say(msg, '');
      if (stepped && step < total - 1) {
        const x = fields[step]!;
        const why = x.check();
        x.error(why);
        if (why) return focusField(x);
        return go(step + 1);
      }
      let first: Field | undefined;
      for (const x of fields) {
        const why = x.check();
        x.error(why);
        if (why) first ??= x;
      }
      if (first) {
        if (!stepped) say(msg, s.eFix);
        return focusField(first);
      }
      next.disabled = true;
      next.textContent = t.sending;
      try {
        const res = await ctx.api<ResponseAnswer>(`${path}/responses`, { respondentId: respondent, answers: answers() });
        set(draftKey, null, true);
        show({ ...p, responded: true, resultsVisible: res.resultsVisible, results: res.results }, true)?.focus();
      } catch (e) {
        next.disabled = false;
        layout();
        const err = asApiError(e);
        const code = err?.code ?? '';
        if (code === 'already_responded') {
          set(draftKey, null, true);
          return load();
        }
        if (/^survey_(closed|not_open)$/.test(code) || code === 'not_found') return load();
        if (code === 'validation_failed') {
          const shown = serverErrors(fields, err?.body.errors ?? []);
          if (shown) return focusField(shown);
        }
        if (/^ip_/.test(code)) say(msg, s.ipLimit);
        else if (code === 'validation_failed') say(msg, t.eInvalid);
        else failure(msg, ctx, e, () => next.click());
      }
    });
  };

  /** The server's field errors (answers.<questionId>[.<itemId>]) at their questions; the first one. */
  const serverErrors = (fields: Field[], errors: FieldError[]): Field | undefined => {
    const byQuestion = new Map<Field, { msg: string; rows: string[] }>();
    for (const e of errors) {
      const [head, qid, item] = e.field.split('.');
      const x = head === 'answers' ? fields.find((f) => f.q.id === qid) : undefined;
      if (!x) continue;
      const entry = byQuestion.get(x) ?? { msg: '', rows: [] };
      if (item) entry.rows.push(item);
      entry.msg ||= reason(x.q, e);
      byQuestion.set(x, entry);
    }
    for (const x of fields) {
      const e = byQuestion.get(x);
      x.error(e?.msg ?? '', e?.rows);
    }
    return fields.find((x) => byQuestion.has(x));
  };

  const reason = (q: Question, e: FieldError): string => {
    const code = e.code ?? '';
    if (/required|missing/.test(code) || /required/i.test(e.message)) return q.type === 'matrix' ? s.eRows : s.eRequired;
    if (/too_many/.test(code) && q.type === 'multiple') return t.chooseUpTo(q.maxChoices);
    if (/too_long|too_big/.test(code) || /at most|too long/i.test(e.message)) return t.eLong;
    return t.eInvalid;
  };

  /** A question as a fieldset with its legend, inputs, hint and error line. */
  const field = (q: Question, i: number, section: string | null): Field => {
    const base = `q${i}`;
    const errId = `${base}-e`;
    const err = h('p', { class: 'fe', id: errId });
    const legend = h('legend', { id: `${base}-l` }, typed('span', null, q.title), q.required && h('span', { class: 'st' }, ' *'));
    const described = (hint?: string) => [hint, errId].filter(Boolean).join(' ');
    const inputs: Input[] = [];
    const body: (Node | false | null)[] = [];
    let read: () => Answer | undefined;
    let write: (a: unknown) => void;
    let check = (): string => (q.required && read() === undefined ? s.eRequired : '');
    const rows: HTMLTableRowElement[] = [];
    /** Whether a matrix row (by item id) has a level chosen. */
    let byRow = (_item: string) => true;

    const choice = (type: 'radio' | 'checkbox', name: string, value: string, label: Node, o: { hint?: string; cls?: string } = {}) => {
      const input = h('input', { type, name, value, 'aria-describedby': described(o.hint), required: type === 'radio' && q.required });
      inputs.push(input);
      return h('label', { class: o.cls ?? 'opt' }, input, label);
    };

    if (q.type === 'single' || q.type === 'multiple') {
      const multi = q.type === 'multiple';
      const max = multi ? q.maxChoices : 1;
      const limited = multi && max < q.options.length;
      const hintId = `${base}-h`;
      const live = h('p', { class: 'hint live', 'aria-live': 'polite' });
      if (limited) body.push(h('p', { class: 'hint', id: hintId }, t.chooseUpTo(max)));
      body.push(...q.options.map((o) => choice(multi ? 'checkbox' : 'radio', base, o.id, typed('span', null, o.label), limited ? { hint: hintId } : {})));
      const limit = () => {
        if (!limited) return;
        const full = inputs.filter((el) => (el as HTMLInputElement).checked).length >= max;
        for (const el of inputs) el.disabled = full && !(el as HTMLInputElement).checked;
        live.textContent = full ? s.full(max) : '';
      };
      if (limited) {
        body.push(live);
        for (const el of inputs) on(el, 'change', limit);
      }
      const checked = () => inputs.filter((el) => (el as HTMLInputElement).checked).map((el) => el.value);
      read = () => {
        const c = checked();
        return multi ? (c.length ? c : undefined) : c[0];
      };
      write = (a) => {
        const want = multi ? (Array.isArray(a) ? a : []) : [a];
        for (const el of inputs) (el as HTMLInputElement).checked = want.includes(el.value);
        limit();
      };
      if (multi) check = () => (q.required && !checked().length ? s.eRequired : checked().length > max ? t.chooseUpTo(max) : '');
    } else if (q.type === 'scale') {
      const { min, max, labels } = q.scale;
      const values: number[] = [];
      for (let v = min; v <= max; v++) values.push(v);
      body.push(h('div', { class: 'sc' }, ...values.map((v) => choice('radio', base, String(v), h('span', null, labels?.[v - min] ?? String(v)), { cls: 'pt' }))));
      read = () => {
        const c = inputs.find((el) => (el as HTMLInputElement).checked);
        return c ? Number(c.value) : undefined;
      };
      write = (a) => {
        for (const el of inputs) (el as HTMLInputElement).checked = isNum(a) && el.value === String(a);
      };
    } else if (q.type === 'matrix') {
      const { min, max, labels } = q.scale;
      const values: number[] = [];
      for (let v = min; v <= max; v++) values.push(v);
      const colId = (v: number) => `${base}-c${v}`;
      const byItem: Record<string, HTMLInputElement[]> = {};
      const table = h(
        'table',
        { class: 'mx' },
        h('thead', null, h('tr', null, h('td', { class: 'it' }), ...values.map((v) => h('th', { scope: 'col', id: colId(v) }, labels?.[v - min] ?? String(v))))),
        h(
          'tbody',
          null,
          ...q.items.map((it, r) => {
            const rowId = `${base}-r${r}`;
            const cells = values.map((v) => {
              const input = h('input', { type: 'radio', name: `${base}-${r}`, value: String(v), 'aria-labelledby': `${rowId} ${colId(v)}`, 'aria-describedby': errId, required: q.required });
              inputs.push(input);
              (byItem[it.id] ??= []).push(input);
              return h('td', null, h('label', null, input));
            });
            const tr = h('tr', { 'data-item': it.id }, typed('th', null, it.label), ...cells);
            tr.firstElementChild!.setAttribute('scope', 'row');
            tr.firstElementChild!.id = rowId;
            rows.push(tr);
            return tr;
          }),
        ),
      );
      body.push(table);
      byRow = (item) => !!byItem[item]?.some((el) => el.checked);
      const picked = () => {
        const a: Record<string, number> = {};
        for (const it of q.items) {
          const c = byItem[it.id]!.find((el) => el.checked);
          if (c) a[it.id] = Number(c.value);
        }
        return a;
      };
      read = () => {
        const a = picked();
        return Object.keys(a).length ? a : undefined;
      };
      write = (a) => {
        const m = (a && typeof a === 'object' && !Array.isArray(a) ? a : {}) as Record<string, unknown>;
        for (const it of q.items) for (const el of byItem[it.id]!) el.checked = isNum(m[it.id]) && el.value === String(m[it.id]);
      };
      check = () => (q.required && q.items.some((it) => !(it.id in picked())) ? (read() ? s.eRows : s.eRequired) : '');
    } else {
      const countId = `${base}-n`;
      const attrs = { class: 'tx', maxlength: q.maxLength, 'aria-labelledby': `${base}-l`, 'aria-describedby': described(countId), required: q.required };
      const input: Input = q.multiline ? h('textarea', { ...attrs, rows: 4 }) : h('input', { ...attrs, type: 'text' });
      input.setAttribute('dir', 'auto');
      inputs.push(input);
      const count = h('p', { class: 'hint', id: countId });
      const recount = () => (count.textContent = s.chars(input.value.length, q.maxLength));
      on(input, 'input', recount);
      recount();
      body.push(input, count);
      read = () => input.value.trim() || undefined;
      write = (a) => {
        input.value = typeof a === 'string' ? a : '';
        recount();
      };
      check = () => (q.required && !read() ? s.eRequired : input.value.length > q.maxLength ? t.eLong : '');
    }

    const heading = q.section ? typed('h3', null, q.section) : null;
    const el = h('div', { class: 'qw' }, heading, h('fieldset', null, legend, ...body, err));
    return {
      q,
      el,
      heading,
      section,
      inputs,
      read: () => read(),
      write: (a) => write(a),
      check: () => check(),
      error: (msg, bad) => {
        err.textContent = msg;
        // A matrix flags the rows at fault: those the server named, else those left unanswered.
        const faulty = bad ?? (rows.length && msg ? rows.map((tr) => tr.getAttribute('data-item') ?? '').filter((item) => !byRow(item)) : []);
        const flag = (item: string | null) => !!msg && (!rows.length || !faulty.length || faulty.includes(item ?? ''));
        for (const el of inputs) {
          if (flag(el.closest('tr')?.getAttribute('data-item') ?? null)) el.setAttribute('aria-invalid', 'true');
          else el.removeAttribute('aria-invalid');
        }
        for (const tr of rows) tr.classList.toggle('bad', flag(tr.getAttribute('data-item')));
      },
    };
  };

  void load();
}
