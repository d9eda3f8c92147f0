import { AppError } from '../errors.js';

/** Refusals of an import that the stores find inside the transaction (both backends say the same). */
export const parentMissing = (sourceId: string, parent: string) =>
  new AppError(422, 'import_parent_missing', `Comment ${sourceId} answers comment ${parent}, which is neither in the file nor imported before.`);
export const parentElsewhere = (sourceId: string) =>
  new AppError(
    422,
    'import_thread_changed',
    `Comment ${sourceId} answers a comment imported before into another thread: import with the same --thread-key as the first time.`,
  );

