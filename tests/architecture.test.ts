import fs from 'node:fs';
import path from 'node:path';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';

/** The layering of docs/architecture.md, held by .dependency-cruiser.cjs and by a look for SQL outside storage. */
describe('architecture', () => {
  it('keeps every dependency rule of .dependency-cruiser.cjs (storage boundary, no HTTP in features, no cycles)', async () => {
    const { createRequire } = await import('node:module');
    const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> };
    const cwd = process.cwd();
    process.chdir(ROOT);
    let result: IReporterOutput;
    try {
      result = await cruise(['src', 'widget'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
    } finally {
      process.chdir(cwd);
    }
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number } };
    expect(output.summary.totalCruised).toBeGreaterThan(50);
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('holds no SQL outside src/storage/', () => {
    const SQL = /\b(SELECT [\w*(]|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX)|PRAGMA \w)/;
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (path.relative(ROOT, p) !== path.join('src', 'storage')) walk(p);
        } else if (e.name.endsWith('.ts')) {
          fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => SQL.test(line) && found.push(`${path.relative(ROOT, p)}:${i + 1}: ${line.trim()}`));
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'widget'));
    expect(found).toEqual([]);
  });
});
