import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

/**
 * Runs Express middleware in order on a request the lane holds, as Express's router would: a stage that
 * answers (a 403, a 429) ends the chain, an error (thrown, rejected or passed to next) goes to the app's
 * own error handler, and `then` runs once every stage called next().
 */
export function runStages(stages: readonly RequestHandler[], req: Request, res: Response, onError: ErrorRequestHandler, then: () => void): void {
  let i = 0;
  const failed = (err: unknown): void => void onError(err, req, res, () => undefined);
  const next = (err?: unknown): void => {
    if (err !== undefined && err !== null) return failed(err);
    const stage = stages[i++];
    if (!stage) return then();
    try {
      const r = stage(req, res, next) as unknown;
      if (r instanceof Promise) r.catch((e: unknown) => failed(e ?? new Error('a stage rejected without a reason')));
    } catch (e) {
      failed(e);
    }
  };
  next();
}
