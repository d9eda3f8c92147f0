/**
 * Typed errors thrown by services. The single error handler (src/http/problem.ts)
 * turns them into RFC 9457 problem+json with a stable `code`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface FieldIssue {
  field: string;
  message: string;
  code?: string;
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldIssue[],
    message = 'The request is not valid.',
  ) {
    super(400, 'validation_failed', message, { errors });
  }
}

/** One field's problem, as a ValidationError: `fieldError('closesAt', 'must be after opensAt')`. */
export const fieldError = (field: string, message: string, detail = `${field} ${message}.`) => new ValidationError([{ field, message }], detail);

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new AppError(409, code, message, extra);
export const forbidden = (message = 'This key may not do that.') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'A valid API key is required (Authorization: Bearer KEY).') =>
  new AppError(401, 'unauthorized', message);
/** The database cannot be reached or answered too late: the write was not made, try again. */
export const unavailable = (message = 'The database is not reachable right now. Please try again in a moment.') =>
  new AppError(503, 'storage_unavailable', message);
