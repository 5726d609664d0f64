import { HfitError } from '@hfit/contracts';

/**
 * Resolves when `out` emits `drain` (the producer may write again). Rejects when the destination
 * fails (`error`), goes away (`close`) or the extraction is aborted, so a paused producer never waits
 * forever for a `drain` that will not come.
 */
export function waitForDrain(out: NodeJS.WritableStream, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  // A stream.Writable says whether a drain is still due; other WritableStreams are assumed full.
  if ((out as { writableNeedDrain?: boolean }).writableNeedDrain === false) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new HfitError('EXTRACTION_FAILED', 'the row output was closed before the export finished: keep the destination open until exportTableRows resolves'));
    };
    const onAbort = () => {
      cleanup();
      reject(abortReason(signal));
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error an aborted extraction fails with: the signal's reason, or a generic AbortError. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('the row export was aborted', 'AbortError');
}
