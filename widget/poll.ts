import { ApiError, asApiError, enc } from './api.js';
import { fill, h, on, shadow, typed } from './dom.js';
import { resultsView } from './results.js';
import { browserId } from './storage.js';
import type { VoteAnswer } from '../src/api/polls.js';
import type { Ctx, Poll, Results } from './types.js';

/** Replaces `box`'s content with one message: an alert for errors, a status otherwise. */
export function say(box: Element, text: string, ok = false): void {
  fill(box, text && h('div', ok ? { class: 'msg ok', role: 'status' } : { class: 'msg err', role: 'alert' }, text));
}

/** Shows an error with a retry button inside `box`. */
export function failure(box: Element, ctx: Ctx, err: unknown, retry: () => unknown): void {
  const { t } = ctx.loc;
  const e = asApiError(err) ?? new ApiError(0, 'error');
  const denied = e.code === 'origin_not_allowed';
  const text = e.code === 'network' ? t.network : e.code === 'not_found' ? t.notFound : e.code === 'rate_limited' ? t.rateLimited : denied ? t.notAllowed : t.error;
  const btn = h('button', { type: 'button', class: 'lk' }, t.retry);
  on(btn, 'click', retry);
  fill(box, h('div', { class: 'msg err', role: 'alert' }, text, ' ', e.code === 'not_found' || denied ? null : btn));
}

/** `<div data-ykien-poll="ID">`: the question and options, or the results once voted. */
export function mountPoll(host: HTMLElement, ctx: Ctx): void {
  const id = host.getAttribute('data-ykien-poll') || '';
  const { t, date } = ctx.loc;
  const voter = browserId('voter');
  const root = shadow(host);
  const view = h('div', { class: 'view', 'aria-live': 'polite' });
  root.append(h('div', { class: 'yk', lang: ctx.loc.lang }, view));
  const path = `v1/polls/${enc(id)}`;

  const load = async (note?: string) => {
    fill(view, h('p', { class: 'note' }, t.loading));
    try {
      show(await ctx.api<Poll>(`${path}?voterId=${enc(voter)}`), note);
    } catch (e) {
      failure(view, ctx, e, () => load(note));
    }
  };

  const hiddenText = (p: Poll) => (p.resultsVisibility === 'after_vote' && p.status !== 'closed' ? t.hiddenVote : t.hiddenClose(date(p.closesAt)));

  /** The results on screen, kept current by the page's live stream while the poll is open. */
  let shown: HTMLElement | undefined;
  const update = (r: Results) => {
    if (!shown?.isConnected) return;
    const fresh = resultsView('', r, ctx.loc);
    // Figures that change by themselves are not read out each time (the box stays in the polite region).
    shown.setAttribute('aria-live', 'off');
    for (const sel of ['.rl', '.tot']) shown.querySelector(sel)?.replaceWith(fresh.querySelector(sel)!);
  };
  const showResults = (p: Poll, r: Results, note?: string, canGoBack = false) => {
    const box = resultsView(p.question, r, ctx.loc);
    shown = box;
    if (p.status === 'open') ctx.live(p.site)('poll', id, update, () => ctx.api<Results>(`${path}/results?voterId=${enc(voter)}`).then(update));
    if (note) box.prepend(h('p', { class: 'msg ok' }, note));
    if (p.status !== 'open') box.append(h('p', { class: 'note' }, p.status === 'closed' ? t.closed : t.scheduled(date(p.opensAt))));
    if (canGoBack) {
      const back = h('button', { type: 'button', class: 'lk' }, t.back);
      on(back, 'click', () => form(p));
      box.append(h('div', { class: 'row' }, back));
    }
    fill(view, box);
    return box;
  };

  const show = (p: Poll, note?: string) => {
    if (p.status === 'open' && !p.voted) return form(p);
    if (p.results) return showResults(p, p.results, note);
    fill(
      view,
      typed('p', 'q', p.question),
      note && h('p', { class: 'msg ok' }, note),
      h('p', { class: 'note' }, p.status === 'scheduled' ? t.scheduled(date(p.opensAt)) : p.status === 'closed' ? t.closed : t.voted),
      p.status !== 'scheduled' && h('p', { class: 'note' }, hiddenText(p)),
    );
  };

  const form = (p: Poll) => {
    const multi = p.maxChoices > 1;
    const msg = h('div');
    const inputs = p.options.map((o) =>
      h('input', { type: multi ? 'checkbox' : 'radio', name: 'o', value: o.id }),
    );
    const submit = h('button', { type: 'submit', class: 'btn' }, t.vote);
    const resultsBtn = h('button', { type: 'button', class: 'lk' }, t.results);
    const f = h(
      'form',
      { novalidate: true },
      h(
        'fieldset',
        null,
        typed('legend', null, p.question),
        multi && h('p', { class: 'hint' }, t.chooseUpTo(p.maxChoices)),
        ...p.options.map((o, i) => h('label', { class: 'opt' }, inputs[i], typed('span', null, o.label))),
      ),
      p.closesAt && h('p', { class: 'hint' }, t.closes(date(p.closesAt))),
      msg,
      h('div', { class: 'row' }, submit, resultsBtn),
    );
    const limit = () => {
      if (!multi) return;
      const full = inputs.filter((i) => i.checked).length >= p.maxChoices;
      for (const i of inputs) i.disabled = full && !i.checked;
    };
    // "Choose an option" goes as soon as one is chosen.
    let asked = false;
    for (const i of inputs)
      on(i, 'change', () => {
        limit();
        if (asked) say(msg, '');
        asked = false;
      });
    on(resultsBtn, 'click', async () => {
      // Known hidden: say when they will show without asking (a 403 would log in the host's console).
      if (!p.resultsVisible) return say(msg, hiddenText(p));
      say(msg, '');
      try {
        const r = await ctx.api<Results>(`${path}/results?voterId=${enc(voter)}`);
        showResults(p, r, undefined, true).querySelector<HTMLElement>('.rt')?.focus();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'results_hidden') say(msg, hiddenText(p));
        else failure(msg, ctx, e, () => resultsBtn.click());
      }
    });
    on(f, 'submit', async (ev) => {
      ev.preventDefault();
      say(msg, '');
      const optionIds = inputs.filter((i) => i.checked).map((i) => i.value);
      if (!optionIds.length) {
        say(msg, t.chooseOne);
        asked = true;
        inputs[0]?.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t.sending;
      try {
        const res = await ctx.api<VoteAnswer>(`${path}/votes`, { optionIds, voterId: voter });
        show(res.poll, t.thanks);
        root.querySelector<HTMLElement>('.rt')?.focus();
      } catch (e) {
        submit.disabled = false;
        submit.textContent = t.vote;
        const code = e instanceof ApiError ? e.code : '';
        if (code === 'already_voted' || code === 'poll_closed' || code === 'poll_not_open' || code === 'not_found') return load();
        if (code === 'too_many_choices') say(msg, t.chooseUpTo(p.maxChoices));
        else if (code === 'ip_vote_limit') say(msg, t.ipLimit);
        else failure(msg, ctx, e, () => submit.click());
      }
    });
    fill(view, f);
  };

  void load();
}
