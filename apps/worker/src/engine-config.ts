import type { LoadedServerConfig } from '@hfit/config';
import type { EngineConfig } from '@hfit/engine';

/** The part of the server config the extraction engine reads. */
export function engineConfigOf(config: LoadedServerConfig): EngineConfig {
  return { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize };
}
