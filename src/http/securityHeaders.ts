import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, computed once. Our helmet options are static (no CSP nonces), so every
 * response gets the same set: running helmet's thirteen middlewares per request would only
 * recompute it. Helmet is called once on a recording response at start-up, then one small
 * middleware copies the recorded headers onto each response.
 */
export interface SecurityHeaders extends RequestHandler {
  /** The same headers as one flat list (name, value, name, value, …), for the fast lane's writeHead. */
  readonly pairs: readonly string[];
}

export function securityHeaders(options: Readonly<HelmetOptions>): SecurityHeaders {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let done = false;
  helmet(options)({} as never, recorder as never, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  const entries = [...headers];
  const middleware: RequestHandler = (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
  return Object.assign(middleware, { pairs: entries.flat() });
}
