import { describe, expect, it } from 'vitest';
import { percentages } from '../src/polls/percent.js';

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10;

describe('percentages (largest remainder, one decimal)', () => {
  it("matches the portal's own figures: 5/10/6 of 21", () => {
    expect(percentages([5, 10, 6], 21)).toEqual([23.8, 47.6, 28.6]);
  });
  it('splits thirds so they still add up to 100.0', () => {
    const p = percentages([1, 1, 1], 3);
    expect(p).toEqual([33.4, 33.3, 33.3]);
    expect(sum(p)).toBe(100);
  });
  it('gives 100 to a single vote and 0 to the rest', () => {
    expect(percentages([0, 1, 0], 1)).toEqual([0, 100, 0]);
  });
  it('gives zeros when nobody has voted', () => {
    expect(percentages([0, 0, 0], 0)).toEqual([0, 0, 0]);
  });
  it('uses the total of choices for multiple-choice polls', () => {
    const p = percentages([3, 2, 2], 7);
    expect(sum(p)).toBe(100);
    // 3/7 = 42.857 and 2/7 = 28.571: the two larger remainders (.71) get the spare tenths.
    expect(p).toEqual([42.8, 28.6, 28.6]);
  });
  it('always sums to exactly 100.0 for any non-empty tally', () => {
    for (let n = 2; n <= 7; n++) {
      for (let seed = 1; seed < 300; seed++) {
        const votes = Array.from({ length: n }, (_, i) => (seed * (i + 3) * 7919) % 97);
        const total = votes.reduce((a, b) => a + b, 0);
        if (total === 0) continue;
        const p = percentages(votes, total);
        expect(sum(p)).toBe(100);
        p.forEach((x, i) => expect(Math.abs(x - (votes[i]! * 100) / total)).toBeLessThanOrEqual(0.1 + 1e-9));
      }
    }
  });
});
