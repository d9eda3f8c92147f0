import { expect, it } from 'vitest';
import { forEachBackend } from './backends.js';

forEachBackend('settings store', (open) => {
  it('sets a value once, whoever asks first, even at the same time', async () => {
    const s = await open();
    expect(await s.settings.get('hash_salt')).toBeUndefined();
    const values = await Promise.all(['a', 'b', 'c'].map((v) => s.settings.setOnce('hash_salt', v)));
    expect(new Set(values).size).toBe(1);
    expect(await s.settings.setOnce('hash_salt', 'z')).toBe(values[0]);
    expect(await s.settings.get('hash_salt')).toBe(values[0]);
  });
});
