
const OPTIONS = {
  wordwrap: false as const,
  // Headings as they were written (html-to-text shouts them by default), images and tables as their text.
  selectors: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};
// Loaded with the first import (html-to-text and its parser are ~11 MB of RSS nobody needs at start) and compiled
// once: html-to-text builds its selectors on every convert() otherwise (milliseconds per comment).
let converter: Promise<(html: string) => string> | undefined;

/** htmlToText, once html-to-text is loaded: await it once per import, then convert each comment synchronously. */
export const htmlToTextConverter = (): Promise<(html: string) => string> =>
  (converter ??= import('html-to-text').then(({ compile }) => {
    const convert = compile(OPTIONS);
    return (html: string) => htmlToText(convert, html);
  }));

/**
 * The plain text an old portal's HTML comment says (WordPress and Disqus keep comments as HTML): paragraphs
 * and line breaks become new lines, entities are decoded, tags, scripts and styles are dropped. Our comments
 * are text and are never rendered as HTML, so no markup may survive. WordPress stores a comment's own line
 * breaks as they were typed (it adds <p> only when showing it), so plain new lines are kept too.
 */
function htmlToText(convert: (html: string) => string, html: string): string {
  // html-to-text folds white space as a browser would; WordPress's bare new lines are real breaks.
  const withBreaks = html.replace(/\r\n?/g, '\n').replace(/\n/g, '<br>');
  return convert(withBreaks)
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .normalize('NFC');
}
