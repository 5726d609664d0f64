import { HfitError } from '@hfit/contracts';
import type { Artifact, BuildView } from '@hfit/contracts';

/**
 * The artifact of a build that can be downloaded, or the error that says why there is none, with
 * the codes the API answers for the same cases: `BUILD_CANCELLED`, `BUILD_NOT_FINISHED` (queued,
 * running or failed), `ARTIFACT_MISSING` (succeeded, but the archive was removed by retention).
 */
export function downloadableArtifact(build: BuildView): Artifact {
  if (build.state === 'cancelled') throw new HfitError('BUILD_CANCELLED', `build ${build.id} was cancelled: it has no archive to download`);
  if (build.state === 'failed') {
    const why = build.error === undefined ? '' : ` (${build.error.code}: ${build.error.message})`;
    throw new HfitError('BUILD_NOT_FINISHED', `build ${build.id} failed${why}: it has no archive to download; fix the cause and build again`);
  }
  if (build.state !== 'succeeded') {
    throw new HfitError('BUILD_NOT_FINISHED', `build ${build.id} is ${build.state}: wait until it succeeds, then download it`);
  }
  if (build.artifact === undefined) {
    throw new HfitError('ARTIFACT_MISSING', `build ${build.id} succeeded, but its archive is no longer stored (removed by retention): build it again`);
  }
  return build.artifact;
}
