/**
 * Runs a background job unless another instance on the same database runs it now or ran it less than
 * `everyMs` ago (Storage.runJob): every instance keeps its timer, one works. Undefined when skipped.
 */
export type RunJob = <T>(job: string, everyMs: number, fn: () => Promise<T>) => Promise<T | undefined>;

/** One process per database (and tests): every tick works. */
export const runHere: RunJob = (_job, _everyMs, fn) => fn();
