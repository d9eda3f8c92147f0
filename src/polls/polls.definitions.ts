import { definitionCache, type DefinitionCache } from '../ballots/definitions.js';
import type { PollDefinition, PollsStore } from './polls.store.js';

/** Poll definitions for the hot public paths, cached as src/ballots/definitions.ts says. */
export const pollDefinitions = (store: Pick<PollsStore, 'definition'>, now: () => number, version: () => number | Promise<number>) =>
  definitionCache<PollDefinition>(store, now, version);

export type PollDefinitions = DefinitionCache<PollDefinition>;
