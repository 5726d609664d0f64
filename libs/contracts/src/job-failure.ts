import { z } from 'zod';
import { ErrorCodes } from './hfit-error.js';

/**
 * Why a queued job failed, as the API shows it (`{code, message}` plus the location fields of
 * {@link HfitError}). Workers store it in the job's `failedReason`; `@hfit/queue` encodes and
 * decodes it.
 */
export const JobFailureSchema = z.object({
  code: z.enum(ErrorCodes),
  message: z.string(),
  field: z.string().optional(),
  line: z.number().int().optional(),
  details: z
    .array(z.object({ message: z.string(), field: z.string().optional(), line: z.number().int().optional() }))
    .optional(),
});

/** See {@link JobFailureSchema}. */
export type JobFailure = z.infer<typeof JobFailureSchema>;
