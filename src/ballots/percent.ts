/**
 * Percentages with one decimal that add up to exactly 100.0 whenever total > 0
 * (largest-remainder method, in tenths of a percent, integer arithmetic only).
 * Ties on the remainder go to the option with more votes, then to the earlier option.
 */
export function percentages(votes: readonly number[], total: number): number[] {
  if (total <= 0) return votes.map(() => 0);
  const tenths = votes.map((v) => Math.floor((v * 1000) / total));
  const remainders = votes.map((v) => (v * 1000) % total);
  let left = 1000 - tenths.reduce((a, b) => a + b, 0);
  const order = votes
    .map((_, i) => i)
    .sort((a, b) => remainders[b]! - remainders[a]! || votes[b]! - votes[a]! || a - b);
  for (const i of order) {
    if (left <= 0) break;
    tenths[i]! += 1;
    left -= 1;
  }
  return tenths.map((t) => t / 10);
}
