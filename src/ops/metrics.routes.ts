import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from '../errors.js';
import { bearerOf } from '../http/auth.js';
import type { KeysService } from '../keys/keys.service.js';
import type { Metrics } from './metrics.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics in Prometheus text format, for `Authorization: Bearer METRICS_TOKEN`
 * or an admin key. A moderator key is refused (403); nothing else gets in (401).
 */
export function metricsHandler(metrics: Metrics, keys: KeysService, token: string | undefined): RequestHandler {
  const tokenDigest = token ? digest(token) : undefined;
  return async (req, res) => {
    const presented = bearerOf(req);
    if (!presented) throw unauthorized('GET /metrics needs Authorization: Bearer METRICS_TOKEN or an admin key.');
    if (!(tokenDigest && timingSafeEqual(digest(presented), tokenDigest))) {
      const principal = await keys.authenticate(presented);
      if (!principal) throw unauthorized();
      if (principal.role !== 'admin') throw forbidden('GET /metrics needs an admin key or METRICS_TOKEN.');
    }
    const body = await metrics.text();
    res.set('Cache-Control', 'no-store').type(metrics.contentType).send(body);
  };
}
