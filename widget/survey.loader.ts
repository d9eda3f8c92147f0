import { ApiError } from './api.js';
import { h, safe, shadow } from './dom.js';
import { failure } from './poll.js';
import type { Ctx } from './types.js';

declare const __SURVEY_FILE__: string;

export type MountSurvey = (host: HTMLElement, ctx: Ctx) => void;

/** How survey.js hands its mount function back: window.ykien._survey(mountSurvey). */
export interface SurveyHandshake {
  _survey?: (mount: MountSurvey) => void;
}

let chunk: Promise<MountSurvey> | undefined;

/**
 * Loads survey.<hash>.js once, from the same base URL as this script (so a portal CSP that
 * allows widget.js allows it; the nonce is copied for nonce-based policies), then mounts.
 * A failed load shows the usual "could not reach the server" with a retry.
 */
export function surveyChunk(host: HTMLElement, ctx: Ctx, script: HTMLScriptElement | null): void {
  chunk ??= new Promise<MountSurvey>((resolve, reject) => {
    const w = window as unknown as { ykien?: SurveyHandshake };
    (w.ykien ??= {})._survey = resolve;
    const s = h('script', { src: ctx.base + __SURVEY_FILE__, async: true });
    if (script?.nonce) s.nonce = script.nonce;
    s.onerror = () => {
      chunk = undefined;
      s.remove();
      reject(new ApiError(0, 'network'));
    };
    (document.head || document.documentElement).append(s);
  });
  chunk.then(
    safe((mount: MountSurvey) => mount(host, ctx)),
    safe((err: unknown) => {
      const box = h('div');
      shadow(host).append(h('div', { class: 'yk', lang: ctx.loc.lang }, box));
      failure(box, ctx, err, () => surveyChunk(host, ctx, script));
    }),
  );
}
