/**
 * Text as the admin search compares it: without letter case or Vietnamese marks, so "NGUYỄN",
 * "nguyen" and "Nguyễn" are one word to commune staff typing on any keyboard. Marks are the combining
 * block U+0300–U+036F after NFD (the PostgreSQL store strips the same range: keep the two in step);
 * "đ" has no decomposition and becomes "d". Marks go before the case, so the case of a Vietnamese
 * letter never depends on a database's locale.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}
