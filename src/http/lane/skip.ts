import type { Request, RequestHandler } from 'express';

/** Set on a request whose front stages the lane already ran before it had to hand the request to Express. */
const LANE_RAN = Symbol('laneRan');

export function markLaneRan(req: Request): void {
  (req as { [LANE_RAN]?: true })[LANE_RAN] = true;
}

/**
 * The Express path's copy of a stage the lane also runs (request id and log, metrics, security headers,
 * CORS, the read limit). A lane that ran them and then found its answer gone (a write landed while it
 * waited for the limiter) hands the request to Express: each stage must not run twice (two log lines,
 * two counts, two hits on the limit).
 */
export function skippedAfterLane(stage: RequestHandler): RequestHandler {
  return (req, res, next) => ((req as { [LANE_RAN]?: true })[LANE_RAN] ? next() : stage(req, res, next));
}
