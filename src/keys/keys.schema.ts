import { z } from 'zod';
import { slug, text } from '../validation/validate.js';
import { MAX_KEY_NAME } from './keys.service.js';

/** POST /v1/admin/keys: the same fields as `ykien keys create`. */
export const createKeySchema = z.strictObject({
  name: text({ max: MAX_KEY_NAME }),
  role: z.enum(['admin', 'moderator']),
  /** A moderator key's one site; absent or null: every site. */
  siteId: slug(64).nullable().optional(),
});
