import fs from 'node:fs';
import path from 'node:path';

/** Numbered migration files (NNN_name.sql), one folder per backend under migrations/. */
export interface AppliedMigration {
  version: number;
  name: string;
}

const FILE_PATTERN = /^(\d{3,})_[\w-]+\.sql$/;

export function listMigrationFiles(dir: string): { version: number; name: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .map((f) => ({ version: Number(FILE_PATTERN.exec(f)![1]), name: f, file: path.join(dir, f) }))
    .sort((a, b) => a.version - b.version);
}
