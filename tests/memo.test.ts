import { describe, expect, it } from 'vitest';
import { memoized } from '../src/util/memo.js';

/** src/util/memo.ts remembers answers to strings public clients choose (addresses): its memory must stay bounded. */
describe('memoized', () => {
  it('answers from memory, undefined included, and forgets everything once it holds `max` answers', () => {
    const asked: string[] = [];
    const f = memoized((k) => {
      asked.push(k);
      return k === 'none' ? undefined : k.toUpperCase();
    }, 3);
    expect([f('a'), f('a'), f('none'), f('none')]).toEqual(['A', 'A', undefined, undefined]);
    expect(asked).toEqual(['a', 'none']);
    f('b'); // three held: full
    f('c'); // emptied, then c
    expect(asked).toEqual(['a', 'none', 'b', 'c']);
    f('a');
    expect(asked.at(-1)).toBe('a');
    // An attacker's ten thousand made-up addresses never hold more than `max` answers.
    for (let i = 0; i < 10_000; i++) f(`2001:db8::${i.toString(16)}`);
    const before = asked.length;
    f('2001:db8::0'); // long forgotten
    expect(asked.length).toBe(before + 1);
  });

  it('remembers nothing of a call that throws', () => {
    let calls = 0;
    const f = memoized((k) => {
      calls++;
      if (k === 'bad') throw new Error('no key');
      return k;
    }, 10);
    expect(() => f('bad')).toThrow('no key');
    expect(() => f('bad')).toThrow('no key');
    expect(calls).toBe(2);
  });
});
