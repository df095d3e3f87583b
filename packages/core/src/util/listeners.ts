/** A set of listeners; `add` returns the matching remove. */
export class Listeners<TArgs extends unknown[]> {
  #set = new Set<(...args: TArgs) => void>();

  get size(): number {
    return this.#set.size;
  }

  add(listener: (...args: TArgs) => void): () => void {
    // Wrapped so the same function added twice is called twice and removed once per handle.
    const entry = (...args: TArgs) => listener(...args);
    this.#set.add(entry);
    return () => void this.#set.delete(entry);
  }

  /** Calls every listener; one that throws is reported to `onError` and the rest still run. */
  emit(onError: (error: unknown) => void, ...args: TArgs): void {
    for (const l of this.#set) {
      try {
        l(...args);
      } catch (error) {
        onError(error);
      }
    }
  }
}
