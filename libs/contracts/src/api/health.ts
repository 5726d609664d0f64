import { z } from 'zod';

/** `GET /healthz` and `GET /readyz`. */
export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  /** Per dependency (readiness only): `ok` or the reason it is not. */
  checks: z.record(z.string(), z.string()).optional(),
});
export type Health = z.infer<typeof HealthSchema>;
