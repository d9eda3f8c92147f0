import type { OptionRecord } from '../../polls/polls.store.js';

/** A poll option as both backends read it for a definition. */
export interface OptionRow {
  id: string;
  label: string;
  starting_votes: number;
}

/** Starting figures only where there are some: most polls never had an old system. */
export const toOption = (r: OptionRow): OptionRecord => (r.starting_votes > 0 ? { id: r.id, label: r.label, startingVotes: Number(r.starting_votes) } : { id: r.id, label: r.label });
