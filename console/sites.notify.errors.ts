// "Thư báo cho người duyệt": the addresses checked in the page, and the server's refusals as words for the field.
import { ApiError } from './api.js';
import { t } from './i18n.js';

export const MAX_EMAILS = 20;
// Only the shape (something@domain.tld, no spaces): the server's check is the stricter one, and its words show here too.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The textarea's lines that hold something, trimmed (the server lower-cases and drops repeats). */
export const addresses = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/** The first line that is not an address, as words naming it; the list's own limit after. */
export function browserCheck(list: string[]): string | null {
  const bad = list.findIndex((a) => !SHAPE.test(a));
  if (bad >= 0) return t('notify.badLine', { n: bad + 1, address: list[bad]! });
  if (list.length > MAX_EMAILS) return t('notify.tooMany', { n: MAX_EMAILS });
  return null;
}

/** The server's validation_failed, per field: "notifyEmails.3" is the 4th address sent. */
export function serverErrors(err: unknown, sent: string[]): { emails?: string; minutes?: string } | null {
  if (!(err instanceof ApiError) || err.code !== 'validation_failed') return null;
  const out: { emails?: string; minutes?: string } = {};
  for (const e of (err.body?.errors as { field: string }[] | undefined) ?? []) {
    const m = /^notifyEmails(?:\.(\d+))?$/.exec(e.field);
    if (m) out.emails ??= m[1] === undefined ? t('notify.tooMany', { n: MAX_EMAILS }) : t('notify.badLine', { n: Number(m[1]) + 1, address: sent[Number(m[1])] ?? '' });
    else if (e.field === 'notifyDigestMinutes') out.minutes = t('notify.badMinutes');
  }
  return out.emails || out.minutes ? out : null;
}
