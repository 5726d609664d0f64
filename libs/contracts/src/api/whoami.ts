import { z } from 'zod';

/** `GET /v1/whoami`: who the API authenticated the caller as. */
export const WhoAmISchema = z.object({
  user: z.string(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;
