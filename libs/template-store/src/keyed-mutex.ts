/**
 * Runs async sections one at a time per key, within this process. The template store uses it for
 * its read-check-write sequences (create's "exists?", patch's read-modify-write): `ObjectStore`
 * has no conditional write, so two API processes can still race, but requests to one process
 * cannot lose each other's changes.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier section of `key` has settled; resolves or rejects with `fn`'s result. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => tail);
    this.#tails.set(key, chained);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      // Only the last waiter removes the entry, so the map holds no settled chains.
      if (this.#tails.get(key) === chained) this.#tails.delete(key);
    }
  }

  /** Keys with a section running or waiting (for tests and diagnostics). */
  get size(): number {
    return this.#tails.size;
  }
}
