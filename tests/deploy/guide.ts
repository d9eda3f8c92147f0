/** Reads the blocks of docs/deploy.md that the tests run as they stand (each follows a `<!-- tested: NAME -->` marker). */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/paths.js';

export const GUIDE = path.join(ROOT, 'docs', 'deploy.md');

export function guideBlock(name: string): string {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const m = new RegExp(`<!-- tested: ${name} -->\\s*\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  if (!m) throw new Error(`docs/deploy.md has no fenced block after <!-- tested: ${name} -->`);
  return m[1]!;
}

/** KEY=VALUE lines of the settings file (comments and blank lines skipped), as systemd's EnvironmentFile reads them. */
export function guideEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of guideBlock('env-file').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** `Key=value` settings of a systemd unit, every value of a repeated key in order. */
export function unitSettings(unit: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) settings.set(m[1]!, [...(settings.get(m[1]!) ?? []), m[2]!]);
  }
  return settings;
}

/**
 * Replaces each `from` in `text` with `to`, insisting that each occurs exactly `times` times:
 * when the guide changes, the test says which line it no longer finds instead of testing something else.
 */
export function substitute(text: string, pairs: [from: string | RegExp, to: string, times?: number][]): string {
  let out = text;
  for (const [from, to, times = 1] of pairs) {
    const re = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(from.source, from.flags.replace('g', '') + 'g');
    const found = out.match(re)?.length ?? 0;
    if (found !== times) throw new Error(`docs/deploy.md: expected ${times}× ${String(from)} in the block, found ${found}; update tests/deploy/`);
    out = out.replace(re, () => to);
  }
  return out;
}
