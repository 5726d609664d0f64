import { HfitError } from '@hfit/contracts';
import type { Redis } from 'ioredis';

/**
 * Per worker process: listens for cancel requests (Redis pub/sub) and aborts the signals of the
 * jobs running here for that build. Processors also check the record when they start, which
 * covers a cancel published before they subscribed.
 */
export class CancelWatcher {
  private readonly running = new Map<string, Set<AbortController>>();
  private started: Promise<unknown> | undefined;

  /** @param subscriber a dedicated connection (it enters subscriber mode). */
  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {}

  /** Subscribes; resolves once subscribed. */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, id: string) => {
      if (channel === this.channel) this.cancel(id);
    });
    this.started ??= this.subscriber.subscribe(this.channel);
    await this.started;
  }

  /** Aborts every job of build `id` running in this process. */
  cancel(id: string): void {
    for (const c of this.running.get(id) ?? []) c.abort(new HfitError('BUILD_CANCELLED', `build ${id} was cancelled`));
  }

  /**
   * A signal aborted when build `id` is cancelled, or when `parent` (BullMQ's own signal, e.g. on
   * shutdown) aborts. Call `release` when the job ends.
   */
  track(id: string, parent?: AbortSignal): { readonly signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    const set = this.running.get(id) ?? new Set();
    set.add(controller);
    this.running.set(id, set);
    const onParent = () => controller.abort(parent?.reason);
    parent?.addEventListener('abort', onParent, { once: true });
    return {
      signal: controller.signal,
      release: () => {
        parent?.removeEventListener('abort', onParent);
        set.delete(controller);
        if (set.size === 0) this.running.delete(id);
      },
    };
  }

  /** Unsubscribes. */
  async stop(): Promise<void> {
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
