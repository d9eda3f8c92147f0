import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository (or image) root: src/ and dist/ both sit one level below it. */
export const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** SQLite's numbered migrations (each backend has its own folder under migrations/). */
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations', 'sqlite');
export const PG_MIGRATIONS_DIR = path.join(ROOT, 'migrations', 'postgres');
export const WIDGET_DIST_DIR = path.join(ROOT, 'dist', 'widget');
export const CONSOLE_DIST_DIR = path.join(ROOT, 'dist', 'console');
