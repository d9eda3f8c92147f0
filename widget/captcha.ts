import { fill, h, on } from './dom.js';
import { failure } from './poll.js';
import { solvePow, type Pow } from './pow.js';
import type { Ctx } from './types.js';

/** Any of the captcha endpoint's answers, read field by field. */
type Challenge = Partial<{ required: false; id: string; mode: 'image' | 'accessible'; image: string; length: number; pow: Pow }>;

/**
 * The comment form's captcha row: the picture and its answer, or, for a reader who cannot see
 * it, the accessible path (a heavier proof of work, and the comment waits for a moderator).
 * Either way the proof of work is solved in the background while the reader types.
 */
export function captchaBox(ctx: Ctx, base: string, wrap: (input: HTMLInputElement, extra: Node) => HTMLElement) {
  const { t } = ctx.loc;
  const input = h('input', { type: 'text', class: 'cap', autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
  const img = h('img', { alt: '', width: 220, height: 80 });
  const btn = (text: string, fn: () => unknown) => {
    const b = h('button', { type: 'button', class: 'lk' }, text);
    on(b, 'click', fn);
    return b;
  };
  const note = h('p', { class: 'note', tabindex: -1 }, t.a11yNote);
  const bar = h('progress', { max: 100, value: 0, 'aria-label': t.verifying });
  // A polite live region rather than role=status, which stays unique to the form's result message.
  const status = h('p', { 'aria-live': 'polite', 'aria-atomic': 'true' });
  const msg = h('div');
  let mode: 'image' | 'accessible' = 'image';
  // Focus follows the reader to what they have to deal with next (load() shows it at once).
  const switchTo = (m: typeof mode) => {
    mode = m;
    const done = load();
    (m === 'image' ? input : note).focus();
    return done;
  };
  const pic = h('div', { class: 'cap-img' }, img, btn(t.refresh, () => load()), btn(t.noRead, () => switchTo('accessible')));
  const alt = h('div', { class: 'cap-alt', hidden: true }, note, bar, status, btn(t.useImage, () => switchTo('image')));
  const row = wrap(input, h('div', null, pic, alt, msg));
  const label = row.querySelector('label');
  row.hidden = true;

  let current: Challenge = {};
  let solved: Promise<number | null> | null = null;
  let round = 0;

  const load = async (): Promise<void> => {
    const mine = ++round;
    const acc = mode === 'accessible';
    input.value = '';
    pic.hidden = input.hidden = acc;
    if (label) label.hidden = acc;
    alt.hidden = !acc;
    fill(msg);
    bar.value = 0;
    status.textContent = acc ? t.verifying : '';
    solved = null;
    try {
      const c = await ctx.api<Challenge>(`${base}/captcha${acc ? '?mode=accessible' : ''}`);
      if (mine !== round) return;
      current = c;
      row.hidden = c.required === false;
      // An image, never markup: a PNG the server drew.
      if (c.image) (img.src = c.image), (img.alt = t.captchaAlt(c.length || 5));
      solved = c.pow
        ? solvePow(c.pow, (share) => {
            bar.value = Math.round(share * 100);
            return mine === round;
          })
        : null;
      if (acc && solved)
        void solved.then((n) => {
          if (mine === round && n !== null) (bar.value = 100), (status.textContent = t.verified);
        });
    } catch (e) {
      row.hidden = false;
      failure(msg, ctx, e, load);
    }
  };

  return {
    row,
    input,
    load,
    /** True when the reader must type what the picture shows. */
    needsAnswer: () => !row.hidden && current.mode === 'image',
    /** The fields a post carries; waits for the proof of work if it is still running. */
    async proof() {
      const c = current;
      const n = solved ? await solved : null;
      const p = c.pow;
      return {
        captchaId: c.id,
        captchaAnswer: c.mode === 'image' ? input.value.trim() : undefined,
        pow: p && n !== null ? { algorithm: p.algorithm, challenge: p.challenge, number: n, salt: p.salt, signature: p.signature } : undefined,
      };
    },
  };
}
