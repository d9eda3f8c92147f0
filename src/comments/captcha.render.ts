import { randomInt } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import svgCaptcha from 'svg-captcha';

/**
 * Capital letters and digits that stay distinct when tilted: no 0/O/Q,
 * no 1/I/L/J, 7/T, 5/S, 2/Z, 6/G/b, 8/B, U/V. Answers are compared case-insensitively.
 */
export const CAPTCHA_CHARS = 'ACDEFHKMNPRTWXY234589';
export const CAPTCHA_LENGTH = 5;
/** Size the widget shows (CSS pixels); the PNG has twice as many pixels each way, for phones' screens. */
export const CAPTCHA_WIDTH = 220;
export const CAPTCHA_HEIGHT = 80;
const ZOOM = 2;
const FONT_SIZE = 60;
const INK = '#1d2733';

/** Uniform in [a, b), from the system's CSPRNG: nothing about one image predicts the next. */
const rnd = (a: number, b: number) => a + (randomInt(0, 1 << 30) / (1 << 30)) * (b - a);
const f = (n: number) => n.toFixed(2);

export function captchaText(): string {
  let s = '';
  for (let i = 0; i < CAPTCHA_LENGTH; i++) s += CAPTCHA_CHARS[randomInt(CAPTCHA_CHARS.length)];
  return s;
}

/** svg-captcha's default export draws a given text (its typings only declare create()). */
const drawText = svgCaptcha as unknown as (text: string, options: Record<string, unknown>) => string;

interface Glyph {
  d: string;
  cx: number;
  cy: number;
}

/** svg-captcha's glyph outlines for `text`, laid out by it, sorted left to right, with their centres. */
export function glyphOutlines(text: string, fontSize = FONT_SIZE): Glyph[] {
  const svg = drawText(text, { noise: 0, width: CAPTCHA_WIDTH, height: CAPTCHA_HEIGHT, fontSize, color: false, background: '' });
  return [...svg.matchAll(/<path fill="[^"]*" d="([^"]+)"\/>/g)]
    .map((m) => {
      const d = m[1]!;
      const n = d.match(/-?\d+(?:\.\d+)?/g)!.map(Number);
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      // Every command of a glyph outline (M, L, Q, C) is made of x y pairs.
      for (let i = 0; i + 1 < n.length; i += 2) {
        x0 = Math.min(x0, n[i]!);
        x1 = Math.max(x1, n[i]!);
        y0 = Math.min(y0, n[i + 1]!);
        y1 = Math.max(y1, n[i + 1]!);
      }
      return { d, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
    })
    .sort((a, b) => a.cx - b.cx);
}

/**
 * The challenge as SVG, for the server's renderer only (never sent: its paths are the font's
 * outlines). Each glyph gets its own rotation, skew and scale and is pushed towards its
 * neighbours so they touch; pale filled shapes lie under the text, a knock-out ellipse
 * (difference blend) inverts part of it, and ink-coloured curves cross it, so neither the
 * outlines nor a clean segmentation of the picture gives the characters away.
 * `distortion` 0 draws the bare, upright text (the attack tests use it as their control).
 */
export function captchaSvg(text: string, distortion = 1): string {
  const k = distortion;
  const W = CAPTCHA_WIDTH, H = CAPTCHA_HEIGHT;
  const parts = [`<rect width="${W}" height="${H}" fill="#f4f1ea"/>`];
  for (let i = 0; i < Math.round(5 * k); i++) {
    const x = rnd(0, W), y = rnd(0, H);
    parts.push(`<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(rnd(12, 35))}" ry="${f(rnd(8, 20))}" fill="hsl(${randomInt(360)},45%,${randomInt(72, 86)}%)" transform="rotate(${f(rnd(-40, 40))} ${f(x)} ${f(y)})"/>`);
  }
  glyphOutlines(text).forEach((g, i, all) => {
    const dx = k * (rnd(-2, 2) - (i - (all.length - 1) / 2) * 2);
    const dy = k * rnd(-5, 5) + (H / 2 - g.cy);
    const t = `translate(${f(g.cx + dx)} ${f(g.cy + dy)}) rotate(${f(k * rnd(-20, 20))}) skewX(${f(k * rnd(-12, 12))}) scale(${(1 + k * rnd(-0.15, 0.15)).toFixed(3)}) translate(${f(-g.cx)} ${f(-g.cy)})`;
    parts.push(`<path fill="${INK}" stroke="${INK}" stroke-width="1.2" d="${g.d}" transform="${t}"/>`);
  });
  for (let i = 0; i < Math.round(k); i++) {
    const x = rnd(30, W - 30), y = rnd(25, H - 25);
    parts.push(`<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(rnd(14, 24))}" ry="${f(rnd(8, 13))}" fill="#fff" style="mix-blend-mode:difference" transform="rotate(${f(rnd(-30, 30))} ${f(x)} ${f(y)})"/>`);
  }
  for (let i = 0; i < Math.round(2 * k); i++)
    parts.push(`<path d="M${f(rnd(0, 20))} ${f(rnd(10, H - 10))} C${f(rnd(50, 90))} ${f(rnd(0, H))},${f(rnd(130, 170))} ${f(rnd(0, H))},${f(rnd(200, W))} ${f(rnd(10, H - 10))}" stroke="${INK}" stroke-width="${f(rnd(1.5, 2.5))}" fill="none"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

/** Rasterises with resvg (its native binary ships in the npm package); no system fonts are needed or read. */
export function renderPng(svg: string): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: ZOOM }, font: { loadSystemFonts: false } }).render().asPng();
}

/** What the client gets: a PNG as a data: URL, and the size to show it at. */
export function captchaImage(text: string, distortion = 1): { image: string; width: number; height: number } {
  return { image: `data:image/png;base64,${renderPng(captchaSvg(text, distortion)).toString('base64')}`, width: CAPTCHA_WIDTH, height: CAPTCHA_HEIGHT };
}
