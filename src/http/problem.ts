import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  res: Response,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://ykien.dev/problems/${code}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        code,
        ...extra,
      }),
    );
}

/** Body-parser and http-errors style errors carry `status`/`type`; map the ones a client can cause. */
function clientErrorFromLibrary(err: unknown): { status: number; code: string; detail: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status < 400 || status >= 500) return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'malformed_json', detail: 'The request body is not valid JSON.' };
    case 'entity.too.large':
      return { status: 413, code: 'body_too_large', detail: 'The request body is too large.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported_encoding', detail: 'Send the body as UTF-8 JSON.' };
    case 'request.aborted':
      return { status: 400, code: 'request_aborted', detail: 'The request was aborted.' };
    case 'request.size.invalid':
      return { status: 400, code: 'bad_request', detail: 'The request size does not match its Content-Length.' };
    default:
      return { status, code: status === 404 ? 'not_found' : 'bad_request', detail: 'The request could not be processed.' };
  }
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, 'not_found', `No route for ${req.method} ${req.path}.`);
};

export function errorHandler(onUnexpected: (err: unknown, req: Parameters<ErrorRequestHandler>[1]) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof AppError) {
      sendProblem(res, err.status, err.code, err.message, err.extra);
      return;
    }
    const known = clientErrorFromLibrary(err);
    if (known) {
      sendProblem(res, known.status, known.code, known.detail);
      return;
    }
    // A row this request refers to was deleted by another process after this one read it (a site
    // deleted with the CLI while still cached here): the client is told it is gone, and we still log it.
    // SQLite and PostgreSQL (23503, foreign_key_violation) name it each their way.
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || (code === '23503' && err instanceof Error && 'severity' in err)) {
      onUnexpected(err, req);
      sendProblem(res, 404, 'not_found', 'What this request refers to no longer exists.');
      return;
    }
    onUnexpected(err, req);
    sendProblem(res, 500, 'internal_error', 'Something went wrong on our side. It has been logged.');
  };
}
