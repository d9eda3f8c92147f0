import { VOTER_ID } from '../src/api/patterns.js';
/** Storage that never throws: private modes and blocked cookies fall back to memory. */
const memory: Record<string, string> = {};

function store(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = window[kind];
    const k = '__ykien';
    s.setItem(k, k);
    s.removeItem(k);
    return s;
  } catch {
    return null;
  }
}

export function get(key: string, session = false): string | null {
  try {
    const s = store(session ? 'sessionStorage' : 'localStorage');
    if (s) return s.getItem(key);
  } catch {
    /* fall through */
  }
  return memory[key] ?? null;
}

export function set(key: string, value: string | null, session = false): void {
  try {
    const s = store(session ? 'sessionStorage' : 'localStorage');
    if (s) {
      if (value === null) s.removeItem(key);
      else s.setItem(key, value);
      return;
    }
  } catch {
    /* fall through */
  }
  if (value === null) delete memory[key];
  else memory[key] = value;
}

/** 96 random bits as 16 URL-safe characters. */
export function randomId(): string {
  const bytes = new Uint8Array(16);
  try {
    crypto.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  let s = '';
  for (const b of bytes) s += 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'[b & 63];
  return s;
}

/** A random id kept in localStorage: "voter" for polls, "visitor" for view counters. */
export function browserId(kind: 'voter' | 'visitor'): string {
  const key = `ykien:${kind}`;
  let id = get(key);
  if (!id || !VOTER_ID.test(id)) {
    id = randomId();
    set(key, id);
  }
  return id;
}
