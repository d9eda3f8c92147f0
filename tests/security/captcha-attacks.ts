/**
 * Two captcha solvers an attacker who has read our code would write (issue 10 §1). Neither
 * uses OCR: the first matches svg-captcha's own font outlines in the markup, the second matches
 * rendered glyph templates in the picture. tests/security/captcha-attack.test.ts runs both.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { CAPTCHA_CHARS, CAPTCHA_LENGTH, captchaSvg } from '../../src/comments/captcha.render.js';

const require = createRequire(import.meta.url);

// ---- 1. the SVG template attack ------------------------------------------------------------

interface Cmd {
  type: string;
  x?: number;
  y?: number;
  x1?: number;
  y1?: number;
  x2?: number;
  y2?: number;
}
interface OpentypeFont {
  charToGlyph(c: string): { getPath(x: number, y: number, size: number): { commands: Cmd[] } };
}

/** The characters svg-captcha draws by default, as it was configured before (0oO1lIiJj left out). */
const OLD_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.replace(/[0oO1lIiJj]/g, '');

type Shape = { types: string; pts: number[] };

/** A path as its command letters and its points relative to its first point (translation removed). */
function shapeOf(cmds: Cmd[]): Shape {
  const pts: number[] = [];
  for (const c of cmds) {
    if (c.type === 'C') pts.push(c.x1!, c.y1!, c.x2!, c.y2!, c.x!, c.y!);
    else if (c.type === 'Q') pts.push(c.x1!, c.y1!, c.x!, c.y!);
    else if (c.type !== 'Z') pts.push(c.x!, c.y!);
  }
  const x0 = pts[0] ?? 0, y0 = pts[1] ?? 0;
  return { types: cmds.map((c) => c.type).join(''), pts: pts.map((v, i) => v - (i % 2 ? y0 : x0)) };
}

function parsePath(d: string): Cmd[] {
  const cmds: Cmd[] = [];
  for (const m of d.matchAll(/([MLQCZ])([^MLQCZ]*)/g)) {
    const n = (m[2]!.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const type = m[1]!;
    if (type === 'C') cmds.push({ type, x1: n[0], y1: n[1], x2: n[2], y2: n[3], x: n[4], y: n[5] });
    else if (type === 'Q') cmds.push({ type, x1: n[0], y1: n[1], x: n[2], y: n[3] });
    else if (type === 'Z') cmds.push({ type });
    else cmds.push({ type, x: n[0], y: n[1] });
  }
  return cmds;
}

let svgTemplates: Map<string, Shape[]> | undefined;
/** Templates from the npm package's own font file, at svg-captcha's default size, keyed by command sequence. */
function templates(): Map<string, Shape[]> {
  if (svgTemplates) return svgTemplates;
  const opentype = require('opentype.js') as { loadSync(file: string): OpentypeFont };
  const font = opentype.loadSync(path.join(path.dirname(require.resolve('svg-captcha/package.json')), 'fonts', 'Comismsh.ttf'));
  const fontSize = (require('svg-captcha') as { options: { fontSize: number } }).options.fontSize;
  svgTemplates = new Map();
  for (const ch of new Set(OLD_CHARSET + CAPTCHA_CHARS)) {
    const s = shapeOf(font.charToGlyph(ch).getPath(0, 0, fontSize).commands);
    const list = svgTemplates.get(s.types) ?? [];
    list.push(Object.assign(s, { ch }));
    svgTemplates.set(s.types, list);
  }
  return svgTemplates;
}

/**
 * Reads every filled <path> anywhere in what the server sent, matches it to a glyph template by
 * command sequence and translation-normalised coordinates (svg-captcha only adds ±0.1 px of
 * jitter), and reads the characters left to right. Returns null when it finds no glyph.
 */
export function svgTemplateAttack(sent: string): string | null {
  const found: { ch: string; x: number }[] = [];
  for (const m of sent.matchAll(/<path\b[^>]*?\bfill=\\?"(?!none)[^"\\]*\\?"[^>]*?\bd=\\?"([^"\\]+)\\?"/g)) {
    const cmds = parsePath(m[1]!);
    const s = shapeOf(cmds);
    let best: { ch: string; err: number } | undefined;
    for (const t of (templates().get(s.types) ?? []) as (Shape & { ch: string })[]) {
      let err = 0;
      for (let i = 0; i < t.pts.length && err < 1; i++) err = Math.max(err, Math.abs(t.pts[i]! - s.pts[i]!));
      if (err < 1 && (!best || err < best.err)) best = { ch: t.ch, err };
    }
    if (best) found.push({ ch: best.ch, x: cmds[0]?.x ?? 0 });
  }
  return found.length ? found.sort((a, b) => a.x - b.x).map((g) => g.ch).join('') : null;
}

// ---- 2. the raster template attack ---------------------------------------------------------

const N = 24;
const ZOOM = 2; // templates and segments are compared as N×N grey-level patches

interface Gray {
  w: number;
  h: number;
  v: Float32Array; // 0 = white, 1 = ink
}

function toGray(rgba: Uint8Array | Buffer, w: number, h: number): Gray {
  const v = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const lum = (0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!) / 255;
    v[i] = 1 - (lum * a + (1 - a)); // transparent counts as white paper
  }
  return { w, h, v };
}

/** Otsu's threshold: the ink level that best splits the picture into two classes. */
function binarise(g: Gray): Uint8Array {
  const hist = new Array<number>(256).fill(0);
  for (const x of g.v) hist[Math.min(255, Math.floor(x * 256))]!++;
  const total = g.v.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let wB = 0, sumB = 0, best = 0, t = 128;
  for (let i = 0; i < 256; i++) {
    wB += hist[i]!;
    if (!wB || wB === total) continue;
    sumB += i * hist[i]!;
    const mB = sumB / wB, mF = (sum - sumB) / (total - wB);
    const between = wB * (total - wB) * (mB - mF) ** 2;
    if (between > best) (best = between), (t = i);
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = g.v[i]! * 256 > t ? 1 : 0;
  return out;
}

/** Drops connected specks smaller than `min` pixels (8-connectivity). */
function despeckle(b: Uint8Array, w: number, h: number, min: number): void {
  const seen = new Uint8Array(b.length);
  const stack: number[] = [];
  for (let s = 0; s < b.length; s++) {
    if (!b[s] || seen[s]) continue;
    const comp: number[] = [];
    stack.push(s);
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      comp.push(p);
      const x = p % w, y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (b[q] && !seen[q]) (seen[q] = 1), stack.push(q);
        }
    }
    if (comp.length < min) for (const p of comp) b[p] = 0;
  }
}

/** The ink inside columns [x0, x1) cropped to its bounding box and resampled to an N×N patch, zero-mean, unit length. */
function patch(b: Uint8Array, w: number, h: number, x0: number, x1: number): Float32Array | null {
  let top = h, bottom = -1, left = x1, right = x0 - 1;
  for (let y = 0; y < h; y++)
    for (let x = x0; x < x1; x++)
      if (b[y * w + x]) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
  if (bottom < 0) return null;
  const bw = right - left + 1, bh = bottom - top + 1, side = Math.max(bw, bh);
  // Keep the aspect ratio: centre the box in a square.
  const ox = left - (side - bw) / 2, oy = top - (side - bh) / 2;
  const p = new Float32Array(N * N);
  for (let j = 0; j < N; j++)
    for (let i = 0; i < N; i++) {
      let acc = 0, cnt = 0;
      const sx0 = ox + (i * side) / N, sy0 = oy + (j * side) / N, step = side / N;
      for (let yy = Math.floor(sy0); yy < sy0 + step; yy++)
        for (let xx = Math.floor(sx0); xx < sx0 + step; xx++) {
          cnt++;
          if (xx >= left && xx <= right && yy >= top && yy <= bottom) acc += b[yy * w + xx]!;
        }
      p[j * N + i] = cnt ? acc / cnt : 0;
    }
  let mean = 0;
  for (const x of p) mean += x;
  mean /= p.length;
  let norm = 0;
  for (let i = 0; i < p.length; i++) (p[i] = p[i]! - mean), (norm += p[i]! ** 2);
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < p.length; i++) p[i] = p[i]! / norm;
  return p;
}

function decode(png: Buffer): { b: Uint8Array; w: number; h: number } {
  const img = PNG.sync.read(png);
  const g = toGray(img.data, img.width, img.height);
  const b = binarise(g);
  despeckle(b, img.width, img.height, Math.round((img.width * img.height) / 4000));
  return { b, w: img.width, h: img.height };
}

function render(svg: string): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: false } }).render().asPng();
}

const ROTATIONS = [-20, -10, 0, 10, 20];
const SCALES = [0.85, 1, 1.15];
let rasterTemplates: { ch: string; p: Float32Array }[] | undefined;

/**
 * One template per character, rotation and scale, drawn the way the server draws a glyph (our
 * renderer with distortion 0, one character alone) and put through the same pipeline as a
 * challenge: threshold, crop, resample.
 */
function glyphTemplates() {
  if (rasterTemplates) return rasterTemplates;
  rasterTemplates = [];
  for (const ch of CAPTCHA_CHARS) {
    const bare = captchaSvg(ch, 0);
    for (const r of ROTATIONS)
      for (const s of SCALES) {
        const svg = bare.replace(/<path fill="[^"]*" d="[^"]+" transform="[^"]*"\/>/, (glyph) => `<g transform="translate(110 40) rotate(${r}) scale(${s}) translate(-110 -40)">${glyph}</g>`);
        const { b, w, h } = decode(render(svg));
        const p = patch(b, w, h, 0, w);
        if (p) rasterTemplates.push({ ch, p });
      }
  }
  return rasterTemplates;
}

/**
 * Thresholds the PNG, cuts it into CAPTCHA_LENGTH columns at the emptiest column near each
 * expected boundary (svg-captcha spaces glyphs evenly; our code is public), and names each
 * column after the template with the highest normalised correlation.
 */
export function rasterTemplateAttack(png: Buffer): string {
  const { b, w, h } = decode(png);
  const cols = new Array<number>(w).fill(0);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cols[x]! += b[y * w + x]!;
  // svg-captcha centres glyph i at spacing × (i + 1) (our code is public): cut at the emptiest
  // column near each midpoint between two centres.
  const spacing = (w - 2 * ZOOM) / (CAPTCHA_LENGTH + 1);
  const cuts = [0];
  for (let i = 1; i < CAPTCHA_LENGTH; i++) {
    const at = spacing * (i + 0.5);
    let bestX = Math.round(at);
    for (let x = Math.round(at - spacing * 0.35); x <= Math.round(at + spacing * 0.35); x++) if (cols[x]! < cols[bestX]!) bestX = x;
    cuts.push(bestX);
  }
  cuts.push(w);
  const tpl = glyphTemplates();
  let out = '';
  for (let i = 0; i < CAPTCHA_LENGTH; i++) {
    const p = patch(b, w, h, cuts[i]!, cuts[i + 1]!);
    let best = { ch: '?', score: -Infinity };
    if (p)
      for (const t of tpl) {
        let s = 0;
        for (let k = 0; k < p.length; k++) s += p[k]! * t.p[k]!;
        if (s > best.score) best = { ch: t.ch, score: s };
      }
    out += best.ch;
  }
  return out;
}

/** The PNG inside a `data:image/png;base64,…` URL. */
export const pngOf = (dataUrl: string) => Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
