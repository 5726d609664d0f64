import { z } from 'zod';
import { AUTH_METHODS, GrantSchema } from '../security.js';

/**
 * `GET /v1/whoami`: who the API authenticated the caller as, how, and what they may do (the union
 * of their roles' grants and their own, as the API and the workers enforce it).
 */
export const WhoAmISchema = z.object({
  user: z.string(),
  via: z.enum(AUTH_METHODS),
  roles: z.array(z.string()),
  grant: GrantSchema,
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;
