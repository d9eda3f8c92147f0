/** The service's JSON API, as the widget uses it. Failures become ApiError, never a throw of something else. */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the network failed or timed out. */
    readonly status: number,
    /** The problem's stable `code`, or "network". */
    readonly code: string,
    readonly body: { errors?: FieldError[]; closesAt?: string | null; opensAt?: string | null; [k: string]: unknown } = {},
  ) {
    super(code);
  }
}

/**
 * The ApiError in `e`, or null. Not `instanceof`: the survey chunk is a bundle of its own, with its
 * own copy of the class, and its requests go through widget.js's client.
 */
export const asApiError = (e: unknown): ApiError | null =>
  e && typeof e === 'object' && typeof (e as ApiError).status === 'number' && typeof (e as ApiError).code === 'string' ? (e as ApiError) : null;

/** GET without a body, POST with one; `headers` add to the request (e.g. Idempotency-Key). */
export type Api = <T>(path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

const warned: Record<string, 1> = {};

/**
 * The page's origin is not in the site's `origins`: readers only see a neutral message, so tell
 * the operator, once per site and origin, in the console where they will look.
 */
function warnOrigin(p: ApiError['body']): void {
  const origin = typeof p.origin === 'string' ? p.origin : location.origin;
  const site = typeof p.site === 'string' ? p.site : '?';
  if (warned[site + ' ' + origin]) return;
  warned[site + ' ' + origin] = 1;
  try {
    console.warn(`[ykien] ${origin} is not in the origins of site "${site}". Add it: ykien sites origins add ${site} ${origin}`);
  } catch {
    /* no console */
  }
}

/** A client bound to the service's base URL (ends with "/"). */
export function client(base: string): Api {
  return async <T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> => {
    const ctl = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = setTimeout(() => ctl?.abort(), 15000);
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        mode: 'cors',
        signal: ctl?.signal,
      });
    } catch {
      throw new ApiError(0, 'network');
    } finally {
      clearTimeout(timer);
    }
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      if (res.ok) throw new ApiError(0, 'network');
    }
    if (!res.ok) {
      const p = (data && typeof data === 'object' ? data : {}) as ApiError['body'];
      if (p.code === 'origin_not_allowed') warnOrigin(p);
      throw new ApiError(res.status, typeof p.code === 'string' ? p.code : `http_${res.status}`, p);
    }
    return data as T;
  };
}

export const enc = encodeURIComponent;
