import { compile } from 'html-to-text';

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
// Compiled once: html-to-text builds its selectors on every convert() otherwise (milliseconds per comment).
const convert = compile(OPTIONS);

/**
 * The plain text an old portal's HTML comment says (WordPress and Disqus keep comments as HTML): paragraphs
 * and line breaks become new lines, entities are decoded, tags, scripts and styles are dropped. Our comments
 * are text and are never rendered as HTML, so no markup may survive. WordPress stores a comment's own line
 * breaks as they were typed (it adds <p> only when showing it), so plain new lines are kept too.
 */
export function htmlToText(html: string): string {
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
