/** A path segment that looks like a token (Slack and Discord webhooks carry theirs in the path). */
const tokenLike = (segment: string) => segment.length >= 32 || (segment.length >= 16 && /\d/.test(segment));

/**
 * A URL as the audit log may show it to a moderator: origin, path with token-like segments
 * masked, and the names of query parameters with every value masked ("?token=[redacted]").
 * Anything that does not parse is masked whole.
 */
export function redactUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '[redacted]';
  }
  const path = u.pathname
    .split('/')
    .map((s) => (tokenLike(s) ? '[redacted]' : s))
    .join('/');
  const query = [...new Set(u.searchParams.keys())].map((k) => `${encodeURIComponent(k)}=[redacted]`).join('&');
  return `${u.origin}${path}${query ? `?${query}` : ''}`;
}

/**
 * Audit entries that quote a comment's words (a moderator's edit keeps before and after). When the
 * comment goes — deleted, or erased with its commenter — the words go with it from these entries;
 * who did what, when, on which comment stays, marked with `textErased`.
 */
export const QUOTED_COMMENT_TEXT = { action: 'comment.edit', fields: ['before', 'after'], marker: 'textErased' } as const;
