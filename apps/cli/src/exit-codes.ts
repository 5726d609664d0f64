/**
 * Exit codes of every `hfit` command, so scripts can tell failures apart. Documented in the
 * README ("The hfit CLI").
 */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** Anything else: the API refused the request or could not be reached, a file could not be written, an import failed. */
  general: 1,
  /** Usage: unknown flag, missing or malformed argument, unknown config key. */
  usage: 2,
  /** A build ended `failed` or `cancelled` (the server's error code is printed). */
  buildFailed: 3,
  /** Verification failed: an artifact's sha256 differs, an archive entry would land outside its folder, a template is invalid. */
  verificationFailed: 4,
  /** Interrupted (Ctrl-C) while waiting; a build keeps running on the server. */
  interrupted: 130,
} as const;

/** One of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
