import { describe, expect, it } from 'vitest';
import { en, vi } from '../console/strings/audit.js';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../src/audit/actions.js';

// The console shows each log entry's action and target in words; a raw "key.revoke" is what a commune's staff
// would otherwise read. Every action the service can record (src/audit/actions.ts) must have them.
describe('the audit log in words', () => {
  const keys = (prefix: string, words: Record<string, string>) =>
    Object.keys(words).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();

  it('names every action the service records, in Vietnamese and English, and no action it never records', () => {
    expect(keys('au.act.', vi)).toEqual([...AUDIT_ACTIONS].sort());
    expect(keys('au.act.', en)).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('names every kind of target', () => {
    expect(keys('au.type.', vi)).toEqual([...AUDIT_TARGET_TYPES].sort());
    expect(keys('au.type.', en)).toEqual([...AUDIT_TARGET_TYPES].sort());
  });

  it('uses composed Vietnamese (NFC), as every word shown', () => {
    for (const w of Object.values(vi)) expect(w).toBe(w.normalize('NFC'));
  });
});
