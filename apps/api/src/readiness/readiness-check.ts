/**
 * Resolves when a dependency can serve requests, rejects (or never settles) when it cannot. Keys of
 * the readiness map name the dependency in `GET /readyz` (`redis`, `storage`).
 */
export type ReadinessCheck = () => Promise<void>;
