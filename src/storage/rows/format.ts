/**
 * What the two engines hold differently in otherwise identical rows: lists and objects (SQLite: JSON
 * text; PostgreSQL: JSONB, parsed by the driver) and flags (SQLite: 0/1; PostgreSQL: BOOLEAN). The shared
 * mappers of this folder take the engine's format; everything else about a row is the same on both.
 */
export interface RowFormat<Json, Flag> {
  json<T>(value: Json): T;
  flag(value: Flag): boolean;
}

export const sqliteFormat: RowFormat<string, number> = {
  json: <T>(value: string) => JSON.parse(value) as T,
  flag: (value) => value === 1,
};

export const postgresFormat: RowFormat<unknown, boolean> = {
  json: <T>(value: unknown) => value as T,
  flag: (value) => value,
};
