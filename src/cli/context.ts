import type { Readable, Writable } from 'node:stream';
import type { Config } from '../config.js';
import type { Container } from '../container.js';

/** What every command gets: the services (built once), the config, a line printer and stdout for streams. */
export interface CliContext {
  services: Container;
  config: Config;
  /** One line of the command's report. */
  out: (line: string) => void;
  /** Where exports stream to (process.stdout), written with backpressure. */
  stdout: Writable;
  /** Where --password-stdin reads from (process.stdin). */
  stdin: Readable;
}

export type Command = (ctx: CliContext, args: string[]) => void | Promise<void>;

/** A mistake in how the command was typed: exit code 64, with the message. */
export class UsageError extends Error {}
