import type { Response } from 'express';

/** Reason a {@link clientGoneSignal} aborts with. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the response was complete');
    this.name = 'ClientGoneError';
  }
}

/**
 * A signal that aborts (with a {@link ClientGoneError}) when the connection of `res` closes before
 * the response was completely written: the client went away, so whatever feeds the response (a
 * database read, a directory walk) should stop. A response that finishes normally never aborts it.
 */
export function clientGoneSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new ClientGoneError());
  };
  if (res.destroyed) onClose();
  else res.once('close', onClose);
  return controller.signal;
}
