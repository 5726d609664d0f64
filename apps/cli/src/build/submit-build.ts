import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@hfit/api-client';
import type { BuildAccepted, CreateBuildRequestInput } from '@hfit/contracts';

/**
 * Submits a build with a fresh idempotency key, so a retry of this very request (a proxy replaying
 * it) cannot start a second build.
 */
export async function submitBuild(client: ApiClient, request: CreateBuildRequestInput): Promise<BuildAccepted> {
  return (await client.builds.submit(request, { idempotencyKey: randomUUID() })).build;
}
