import { z } from 'zod';

/**
 * `:id` of the build routes. Only bounded here: the build service knows what its ids look like
 * and answers `BUILD_NOT_FOUND` for anything else.
 */
export const BuildIdParamsSchema = z.object({
  id: z.string().min(1).max(200).describe('Build id, as returned by POST /v1/builds'),
});
