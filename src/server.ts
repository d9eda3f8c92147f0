import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startCheckpointer } from './db/checkpointer.js';
import { openDatabase } from './db/open.js';
import { DEMO_POLL_ID, DEMO_SITE_ID, seedDemo } from './demo/seed.js';
import { createLogger, type Logger } from './logger.js';

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

export async function start(config: Config, logger: Logger = createLogger(config)): Promise<Running> {
  const db = openDatabase(config.DATABASE_PATH);
  const app = createApp({ db, config, logger });
  const services = app.locals.services;
  services.counters.startJobs((err) => logger.error({ err }, 'pruning view counters failed'));
  const checkpointer =
    config.DATABASE_PATH === ':memory:'
      ? undefined
      : startCheckpointer(db, config.DATABASE_PATH, { onError: (err) => logger.error({ err }, 'WAL checkpoint failed') });

  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  // SEED_DEMO is on by default only in development (config.ts); "/" shows the demo article while its site exists.
  const production = config.NODE_ENV === 'production';
  if (config.SEED_DEMO && seedDemo(services, [new URL(publicUrl).origin], { production })) {
    const where = { site: DEMO_SITE_ID, poll: DEMO_POLL_ID };
    if (production)
      logger.warn(where, `SEED_DEMO is on in production: seeded the demo site; remove it with: ykien sites delete ${DEMO_SITE_ID} --confirm ${DEMO_SITE_ID}`);
    else logger.info(where, 'seeded the demo site and poll');
  }
  for (const warning of startupWarnings(config)) logger.warn(warning);
  if (!services.keys.list().some((k) => k.role === 'admin' && k.revoked_at === null)) {
    logger.info('no admin key yet; create one with: npm run -s ykien -- keys create --role admin --name "Your name"');
  }

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
    app,
  );
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  server.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  services.retention.start();
  logger.info({ url, database: config.DATABASE_PATH }, `ykien listening on ${url}`);

  const closed = new Promise<void>((resolve) => server.once('close', resolve));
  const shutdown = async (): Promise<void> => {
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    services.retention.stop();
    server.close();
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    services.counters.stop();
    // The worker's connection closes first, so the service's close folds the whole WAL back into the file.
    await checkpointer?.stop();
    db.close();
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

async function main(): Promise<void> {
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
    // E.g. a database whose ballots were hashed with a HASH_SALT that is no longer set.
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
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

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
