/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tagged template that escapes every interpolated value unless it is `raw(...)`. */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}
export const raw = (s: string) => new Raw(s);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) out += item instanceof Raw ? item.html : item === false || item === null || item === undefined ? '' : esc(item);
    out += strings[i + 1] ?? '';
  });
  return new Raw(out);
}

/** A whole page: our own stylesheet only, no inline script or style (CSP: script-src/style-src 'self'). */
export function page(opts: { title: string; css: string; body: Raw; lang?: string }): string {
  return `<!doctype html>
<html lang="${esc(opts.lang ?? 'vi')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${esc(opts.css)}">
</head>
<body>
${opts.body.html}
</body>
</html>
`;
}
