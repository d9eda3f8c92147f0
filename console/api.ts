// The console's one door to the admin API: same origin, the session cookie, and the CSRF token on
// every write. Business rules stay on the server: this only carries requests and their refusals.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: Record<string, unknown> | null,
  ) {
    super(code);
  }
}

let csrfToken = '';
let expired: (() => void) | undefined;

export const useCsrf = (token: string) => void (csrfToken = token);
/** Called when an admin call answers that the session is gone (idle or absolute expiry, logout elsewhere). */
export const onSessionExpired = (f: () => void) => void (expired = f);

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', '', null);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const code = typeof data?.code === 'string' ? data.code : `http_${res.status}`;
    if ((code === 'session_expired' || code === 'unauthorized') && !path.startsWith('/v1/session')) expired?.();
    throw new ApiError(res.status, code, typeof data?.detail === 'string' ? data.detail : '', data);
  }
  return data as T;
}

/** A query string of the set values only. */
export const qs = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
};
