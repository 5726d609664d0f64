import { HfitError } from '@hfit/contracts';

/** Options of `TemplateStore.upload`. */
export interface UploadOptions {
  /** Replace stored templates whose text differs. Default `false`: such files are reported as errors. */
  readonly overwrite?: boolean;
  /**
   * Most bytes read, counted both before and after gunzip (tar headers and padding included), so a
   * gzip bomb stops at this many bytes of output. Default {@link DEFAULT_UPLOAD_MAX_BYTES}.
   */
  readonly maxBytes?: number;
  /** Most archive entries (files, folders, links). Default {@link DEFAULT_UPLOAD_MAX_ENTRIES}. */
  readonly maxEntries?: number;
}

/** {@link UploadOptions} with every default applied. */
export interface ResolvedUploadOptions {
  readonly overwrite: boolean;
  readonly maxBytes: number;
  readonly maxEntries: number;
}

/** 32 MiB: room for many templates (each at most 1 MiB) while bounding what an upload holds. */
export const DEFAULT_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;

/** Default cap on the entries of one archive. */
export const DEFAULT_UPLOAD_MAX_ENTRIES = 1000;

function positiveInteger(value: number | undefined, fallback: number, field: keyof UploadOptions): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new HfitError('REQUEST_INVALID', `upload option ${field} must be a positive integer, got ${String(value)}`, { field });
  }
  return value;
}

/**
 * Applies defaults and checks the options once.
 * @throws HfitError REQUEST_INVALID naming the bad option.
 */
export function resolveUploadOptions(options: UploadOptions = {}): ResolvedUploadOptions {
  return {
    overwrite: options.overwrite ?? false,
    maxBytes: positiveInteger(options.maxBytes, DEFAULT_UPLOAD_MAX_BYTES, 'maxBytes'),
    maxEntries: positiveInteger(options.maxEntries, DEFAULT_UPLOAD_MAX_ENTRIES, 'maxEntries'),
  };
}
