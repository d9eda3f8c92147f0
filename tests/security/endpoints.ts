export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Endpoint {
  method: Method;
  /** Placeholders {site} {poll} {option} {thread} {page} {comment} {survey} are filled from the fixture. */
  path: string;
  admin?: boolean;
  /** A page for people: its refusals are HTML pages, not problem+json. */
  html?: boolean;
}

/** Every public and admin endpoint of the service, for the property-based and hostile-input suites. */
export const ENDPOINTS: Endpoint[] = [
  { method: 'get', path: '/v1/polls/{poll}' },
  { method: 'get', path: '/v1/polls/{poll}/results' },
  { method: 'post', path: '/v1/polls/{poll}/votes' },
  { method: 'get', path: '/v1/sites/{site}/captcha' },
  { method: 'get', path: '/v1/sites/{site}/threads/{thread}/comments' },
  { method: 'post', path: '/v1/sites/{site}/threads/{thread}/comments' },
  { method: 'get', path: '/v1/sites/{site}/pages/{page}/views' },
  { method: 'post', path: '/v1/sites/{site}/pages/{page}/views' },
  { method: 'get', path: '/v1/sites/{site}/stats' },
  { method: 'get', path: '/v1/admin/sites', admin: true },
  { method: 'post', path: '/v1/admin/sites', admin: true },
  { method: 'get', path: '/v1/admin/sites/{site}', admin: true },
  { method: 'patch', path: '/v1/admin/sites/{site}', admin: true },
  { method: 'post', path: '/v1/admin/sites/{site}/origins', admin: true },
  { method: 'delete', path: '/v1/admin/sites/{site}', admin: true },
  { method: 'get', path: '/v1/admin/polls', admin: true },
  { method: 'post', path: '/v1/admin/polls', admin: true },
  { method: 'get', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'patch', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'post', path: '/v1/admin/polls/{poll}/close', admin: true },
  { method: 'post', path: '/v1/admin/polls/{poll}/reopen', admin: true },
  { method: 'put', path: '/v1/admin/polls/{poll}/starting-figures', admin: true },
  { method: 'delete', path: '/v1/admin/polls/{poll}', admin: true },
  { method: 'get', path: '/v1/admin/audit', admin: true },
  { method: 'get', path: '/v1/admin/users', admin: true },
  { method: 'post', path: '/v1/admin/users', admin: true },
  { method: 'get', path: '/v1/admin/users/khong-co', admin: true },
  { method: 'patch', path: '/v1/admin/users/khong-co', admin: true },
  { method: 'get', path: '/v1/admin/polls/{poll}/export', admin: true },
  { method: 'get', path: '/v1/admin/polls/{poll}/timeline', admin: true },
  { method: 'get', path: '/v1/admin/comments/export', admin: true },
  { method: 'get', path: '/v1/admin/comments', admin: true },
  { method: 'post', path: '/v1/admin/comments/{comment}/approve', admin: true },
  { method: 'post', path: '/v1/admin/comments/{comment}/reject', admin: true },
  { method: 'post', path: '/v1/admin/comments/{comment}/spam', admin: true },
  { method: 'delete', path: '/v1/admin/comments/{comment}', admin: true },
  { method: 'post', path: '/v1/admin/comments/moderate', admin: true },
  { method: 'delete', path: '/v1/admin/commenters', admin: true },
  { method: 'put', path: '/v1/admin/sites/{site}/counters', admin: true },
  { method: 'get', path: '/v1/admin/comments/{comment}', admin: true },
  { method: 'put', path: '/v1/admin/sites/{site}/webhook', admin: true },
  { method: 'get', path: '/v1/admin/sites/{site}/webhook', admin: true },
  { method: 'delete', path: '/v1/admin/sites/{site}/webhook', admin: true },
  { method: 'get', path: '/metrics', admin: true },
  { method: 'get', path: '/v1/surveys/{survey}' },
  { method: 'get', path: '/v1/surveys/{survey}/results' },
  { method: 'post', path: '/v1/surveys/{survey}/responses' },
  { method: 'get', path: '/v1/admin/surveys', admin: true },
  { method: 'post', path: '/v1/admin/surveys', admin: true },
  { method: 'get', path: '/v1/admin/surveys/{survey}', admin: true },
  { method: 'patch', path: '/v1/admin/surveys/{survey}', admin: true },
  { method: 'post', path: '/v1/admin/surveys/{survey}/close', admin: true },
  { method: 'post', path: '/v1/admin/surveys/{survey}/reopen', admin: true },
  { method: 'delete', path: '/v1/admin/surveys/{survey}', admin: true },
  { method: 'get', path: '/v1/admin/surveys/{survey}/results', admin: true },
  { method: 'get', path: '/v1/admin/surveys/{survey}/export', admin: true },
  { method: 'get', path: '/v1/admin/surveys/{survey}/timeline', admin: true },
  { method: 'get', path: '/p/{poll}', html: true },
  { method: 'post', path: '/p/{poll}', html: true },
];
