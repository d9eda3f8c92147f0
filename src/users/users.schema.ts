import { z } from 'zod';
import { slug, text } from '../validation/validate.js';

/** Passwords are checked by the password rules (passwords.ts), not here: only their shape. */
const password = z.string().min(1).max(1024);
const role = z.enum(['admin', 'moderator']);
const sites = z.array(slug(64)).max(1000);

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password,
  totp: z.string().min(1).max(32).optional(),
});

export const changePasswordSchema = z.strictObject({ currentPassword: password, newPassword: password });
export const totpCodeSchema = z.strictObject({ code: z.string().min(1).max(32) });
export const passwordConfirmSchema = z.strictObject({ password });

export const createUserSchema = z.strictObject({
  username: z.string().min(1).max(100),
  displayName: text({ max: 100 }).optional(),
  role,
  sites: sites.optional(),
  password,
});

export const updateUserSchema = z
  .strictObject({
    displayName: text({ max: 100 }).optional(),
    role: role.optional(),
    sites: sites.optional(),
    disabled: z.boolean().optional(),
    /** A new password: every session of the user ends. */
    password: password.optional(),
    /** false turns two-factor login off (a lost phone). */
    totp: z.literal(false).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change something');
