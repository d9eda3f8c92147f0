// What the document says of one operation: its own file, so the feature lists (operations.*.ts) and operations.ts import it without a cycle.
import type { z } from 'zod';

export interface Answer {
  description: string;
  /** A JSON body of this shape (problem+json for 4xx/5xx when absent). */
  schema?: z.ZodType;
  /** Other content types (an event stream, a CSV or XLSX file), beside the JSON of `schema` when both are given. */
  content?: string | string[];
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As Express writes it: /v1/polls/:id. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: anyone (CORS per site), or the admin API's key or console session. */
  auth?: 'admin' | 'staff';
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, Answer>;
}
