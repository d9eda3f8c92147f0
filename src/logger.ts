import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * JSON logs. Authorization headers, cookies, emails and IPs never reach them:
 * request logging (src/http/requestLog.ts) records method, path, status and timing only.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'ykien' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.email', '*.ip', '*.key', 'key', 'email', 'ip'],
      censor: '[redacted]',
    },
  };
  // Tests pass a stream to read what would reach stdout.
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
