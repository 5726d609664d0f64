import type { ApiConfig, AuditConfig, AuthConfig, RedisConfig, ServerConfig, SourceConfig, StorageConfig, VolumeConfig, WorkerConfig } from './server-config-schema.js';

/** A validated server configuration with defaults applied. Holds secrets: log it via `redactConfig`. */
export interface LoadedServerConfig {
  /** Absolute path of the file it was read from, when read from a file. */
  readonly path?: string | undefined;
  /** In file order; every source has its `port` (defaulted per type). */
  readonly sources: readonly SourceConfig[];
  /** In file order; every `root` is absolute. */
  readonly volumes: readonly VolumeConfig[];
  readonly extraction: ServerConfig['extraction'];
  /** Where packages are stored; an fs `root` is absolute. */
  readonly storage: StorageConfig;
  readonly redis: RedisConfig;
  readonly api: ApiConfig;
  readonly worker: WorkerConfig;
  readonly auth: AuthConfig;
  /** `dir` is absolute. */
  readonly audit: AuditConfig;
}
