/** SQLite's answer when a UNIQUE or PRIMARY KEY constraint refuses a row. */
export const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** Named parameters for "these sites, or all when null": `(@all = 1 OR site_id IN (SELECT value FROM json_each(@sites)))`. */
export const sitesFilter = (sites: readonly string[] | null) => ({ all: sites === null ? 1 : 0, sites: JSON.stringify(sites ?? []) });
