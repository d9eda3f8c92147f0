import type { z } from 'zod';

// What one operation of the document says; its own module so the lists of operations (operations*.ts) import it without a cycle.

export interface Answer {
  description: string;
  /** A JSON body of this shape (problem+json for 4xx/5xx when absent). */
  schema?: z.ZodType;
  /** Another content type, described in words (an event stream), or the types a download may come as (CSV, XLSX). */
  content?: string | string[];
  /** Response headers worth naming (Set-Cookie, Location): name → what it carries. */
  headers?: Record<string, string>;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As Express writes it: /v1/polls/:id. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: anyone (CORS per site), the admin API's key or console session, or a console session only. */
  auth?: 'admin' | 'staff' | 'session';
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, Answer>;
}
