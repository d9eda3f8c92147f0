import fs from 'node:fs';
import path from 'node:path';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Endpoint {
  method: Method;
  /** Placeholders {site} {poll} {option} {thread} {page} {comment} are filled from the fixture. */
  path: string;
  admin?: boolean;
  /** Only when the feature's code is present in this checkout (features land independently). */
  needs?: string;
}

/** Every public and admin endpoint of the service, for the property-based and hostile-input suites. */
export const ENDPOINTS: Endpoint[] = [
  { method: 'get', path: '/v1/polls/{poll}' },
  { method: 'get', path: '/v1/polls/{poll}/results' },
  { method: 'post', path: '/v1/polls/{poll}/votes' },
  { method: 'get', path: '/v1/sites/{site}/captcha', needs: 'comments' },
  { method: 'get', path: '/v1/sites/{site}/threads/{thread}/comments', needs: 'comments' },
  { method: 'post', path: '/v1/sites/{site}/threads/{thread}/comments', needs: 'comments' },
  { method: 'get', path: '/v1/sites/{site}/pages/{page}/views', needs: 'counters' },
  { method: 'post', path: '/v1/sites/{site}/pages/{page}/views', needs: 'counters' },
  { method: 'get', path: '/v1/sites/{site}/stats', needs: 'counters' },
  { method: 'get', path: '/v1/admin/sites', admin: true },
  { method: 'post', path: '/v1/admin/sites', admin: true },
  { method: 'get', path: '/v1/admin/sites/{site}', admin: true },
  { method: 'patch', path: '/v1/admin/sites/{site}', admin: true },
  { method: 'get', path: '/v1/admin/polls', admin: true },
  { method: 'post', path: '/v1/admin/polls', admin: true },
  { method: 'get', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'patch', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'post', path: '/v1/admin/polls/{poll}/close', admin: true },
  { method: 'delete', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'get', path: '/v1/admin/audit', admin: true },
  { method: 'get', path: '/v1/admin/polls/{poll}/export', admin: true, needs: 'exports' },
  { method: 'get', path: '/v1/admin/polls/{poll}/timeline', admin: true, needs: 'exports' },
  { method: 'get', path: '/v1/admin/comments/export', admin: true, needs: 'exports' },
  { method: 'get', path: '/v1/admin/comments', admin: true, needs: 'comments' },
  { method: 'post', path: '/v1/admin/comments/{comment}/approve', admin: true, needs: 'comments' },
  { method: 'post', path: '/v1/admin/comments/{comment}/reject', admin: true, needs: 'comments' },
  { method: 'post', path: '/v1/admin/comments/{comment}/spam', admin: true, needs: 'comments' },
  { method: 'delete', path: '/v1/admin/comments/{comment}', admin: true, needs: 'comments' },
  { method: 'post', path: '/v1/admin/comments/moderate', admin: true, needs: 'comments' },
  { method: 'delete', path: '/v1/admin/commenters', admin: true, needs: 'comments' },
  { method: 'put', path: '/v1/admin/sites/{site}/counters', admin: true, needs: 'counters' },
];

const SRC = path.resolve(import.meta.dirname, '../../src');
export const available = (e: Endpoint) => !e.needs || fs.existsSync(path.join(SRC, e.needs));
