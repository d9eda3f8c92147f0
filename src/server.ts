import { lookup } from 'node:dns/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/storage.js';

/** A database URL for the log: host, port and database, never the password. */
const redactedUrl = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '[unparsable]';
  }
};
import { DEMO_POLL_ID, DEMO_SITE_ID, seedDemo } from './demo/seed.js';
import { createLogger, type Logger } from './logger.js';
import { isEntryPoint } from './util/entry.js';
import { BUILD, VERSION } from './version.js';

export interface Running {
  server: Server;
  url: string;
  /** Stops accepting, lets requests in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** Settings that work but that an operator should know are weak, logged at every start. */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.CAPTCHA === 'off') warnings.push('CAPTCHA=off: comment forms have NO captcha. Use this only on an intranet or for tests.');
  if (config.NODE_ENV === 'production' && !config.HASH_SALT)
    warnings.push(
      'HASH_SALT is not set: IP hashes are keyed with a salt kept in the database, so whoever gets a copy of the database can reverse them. ' +
        'Set HASH_SALT (a random string of 16+ characters, kept outside the database and never changed).',
    );
  return warnings;
}

/** HOST must be an address of this machine or a name it resolves; told before anything is created. */
async function checkHost(host: string): Promise<void> {
  if (isIP(host)) return;
  try {
    await lookup(host);
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new ConfigError(`HOST=${host} is neither an IP address nor a name this machine resolves (${code}): use 127.0.0.1 behind a reverse proxy on this machine, or 0.0.0.0.`);
  }
}

/** Binds, turning the usual refusals into one line that names the variables to change. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const at = `PORT=${port} on HOST=${host}`;
      if (err.code === 'EADDRINUSE') reject(new ConfigError(`${at} is already in use by another process (EADDRINUSE): stop it or choose another PORT.`));
      else if (err.code === 'EACCES') reject(new ConfigError(`${at} needs privileges this user does not have (EACCES): use a PORT above 1023 behind a reverse proxy.`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new ConfigError(`HOST=${host} is not an address of this machine (EADDRNOTAVAIL, PORT=${port}): use 127.0.0.1 behind a reverse proxy on this machine, or 0.0.0.0.`));
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** What a request that arrives between the bind and the end of migrations gets. */
const starting: RequestListener = (_req, res) => {
  res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'Retry-After': '1' });
  res.end(JSON.stringify({ type: 'https://ykien.dev/problems/not_ready', title: 'Service Unavailable', status: 503, detail: 'The service is starting.', code: 'not_ready' }));
};

const hostPort = (a: AddressInfo) => (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

export async function start(config: Config, logger: Logger = createLogger(config)): Promise<Running> {
  // Bind first: a bad HOST or a port in use is one line naming the variable, before the
  // database is created, migrated or seeded. Until the app below is ready (migrations can
  // take a while after an upgrade) every request, /readyz included, gets 503.
  await checkHost(config.HOST);
  let handler: RequestListener = starting;
  // A slow or stalled client cannot hold a connection for long. The timeouts go to createServer
  // rather than being set after app.listen(): Node checks them every connectionsCheckingInterval
  // (30 s by default, fixed at creation), which would let a slow-headers client stay 30 s longer.
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeout / 4)),
    },
    (req, res) => handler(req, res),
  );
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  await listen(server, config.PORT, config.HOST);
  const bound = server.address() as AddressInfo;
  const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
  const url = `http://${wildcard ? 'localhost' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;

  let storage: Storage;
  let app: App;
  try {
    storage = await openStorage(config, { onError: (err) => logger.error({ err }, 'storage error') });
    app = await createApp({ storage, config, logger });
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }
  const services = app.locals.services;
  services.counters.startJobs((err) => logger.error({ err }, 'pruning view counters failed'));
  storage.startMaintenance((err) => logger.error({ err }, 'storage maintenance failed (WAL checkpoint)'));

  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  // SEED_DEMO is on by default only in development (config.ts); "/" shows the demo article while its site exists.
  const production = config.NODE_ENV === 'production';
  if (config.SEED_DEMO && (await seedDemo(services, [new URL(publicUrl).origin], { production }))) {
    const where = { site: DEMO_SITE_ID, poll: DEMO_POLL_ID };
    if (production)
      logger.warn(where, `SEED_DEMO is on in production: seeded the demo site; remove it with: ykien sites delete ${DEMO_SITE_ID} --confirm ${DEMO_SITE_ID}`);
    else logger.info(where, 'seeded the demo site and poll');
  }
  for (const warning of startupWarnings(config)) logger.warn(warning);
  if (!(await services.keys.list()).some((k) => k.role === 'admin' && k.revokedAt === null)) {
    logger.info('no admin key yet; create one with: npx ykien keys create --role admin --name "Your name" (in the Docker image: ykien keys create …; in a dev checkout: npm run -s ykien -- keys create …)');
  }

  if (!(await services.users.list()).some((u) => u.role === 'admin' && !u.disabled)) {
    logger.info('no console admin yet; create one with: printf %s "$PASSWORD" | ykien users create --username NAME --role admin --password-stdin');
  }
  services.retention.start();
  services.mail.start();
  if (services.mail.enabled && !config.PUBLIC_URL)
    logger.warn('SMTP_URL is set but PUBLIC_URL is not: the moderator mails link to http://localhost, which no moderator can open. Set PUBLIC_URL.');
  const stopPruningSessions = services.sessions.start();
  logger.info(
    { version: VERSION, build: BUILD, node: process.version, address: bound.address, port: bound.port, url, database: config.DATABASE_URL ? `postgres ${redactedUrl(config.DATABASE_URL)}` : config.DATABASE_PATH },
    `ykien ${VERSION}${BUILD ? ` (build ${BUILD})` : ''} listening on ${hostPort(bound)} (${url})`,
  );
  handler = app.locals.lane;

  const closed = new Promise<void>((resolve) => server.once('close', resolve));
  const shutdown = async (): Promise<void> => {
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    services.retention.stop();
    services.mail.stop();
    stopPruningSessions();
    server.close();
    // Live results streams never finish on their own; ended, each browser reconnects to an instance that runs.
    services.live.close();
    services.adminLive.close();
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    services.counters.stop();
    // Mails being sent finish (each SMTP step has MAIL_TIMEOUT_MS) and are marked sent before the database
    // closes, within the shutdown budget; one cut off stays claimed, and goes out again after a restart.
    let mailBudget: NodeJS.Timeout | undefined;
    await Promise.race([services.mail.idle(), new Promise<void>((r) => (mailBudget = setTimeout(r, config.SHUTDOWN_TIMEOUT_MS)))]);
    clearTimeout(mailBudget);
    services.mail.close();
    await storage.close();
    // Comment webhooks already queued still go out (they need no database), within the shutdown budget.
    let budget: NodeJS.Timeout | undefined;
    await Promise.race([
      services.comments.webhooks.idle(),
      new Promise<void>((r) => (budget = setTimeout(r, config.SHUTDOWN_TIMEOUT_MS))),
    ]);
    clearTimeout(budget);
  };
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutdown());
  return { server, url, stop };
}

/** The service as `node dist/server.js` runs it: configuration and start-up errors are one line on stderr and exit code 2. */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`ykien: ${err.message}`);
    // systemd's RestartPreventExitStatus=2 (docs/deploy.md): restarting does not fix a setting.
    logger.flush(() => process.exit(2));
    return;
  }
  // `npm start` and a terminal's Ctrl-C each deliver the signal too, so it often arrives twice:
  // later ones must not cut the clean shutdown short (it has its own SHUTDOWN_TIMEOUT_MS).
  let shuttingDown = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info({ signal }, 'shutting down');
      running.stop().then(
        () => {
          logger.info('stopped cleanly');
          // pino writes asynchronously: exit once the last lines are out.
          logger.flush(() => process.exit(0));
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          logger.flush(() => process.exit(1));
        },
      );
    });
  }
}

if (isEntryPoint(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
