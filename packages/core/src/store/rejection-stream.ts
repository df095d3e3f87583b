import type { MutationRejectedError } from "../errors.js";
import { Listeners } from "../util/listeners.js";

/** Rejections kept for a first listener that subscribes late; older ones are dropped. */
const UNHEARD_LIMIT = 100;

/**
 * The rejection stream of a store. Rejections that happen while nobody listens (a queued call
 * rejected while a reopened store upgrades its queue, before the UI subscribed) are kept, up to
 * a bound, and handed to the first listener that subscribes.
 */
export class RejectionStream {
  readonly #listeners = new Listeners<[MutationRejectedError]>();
  #unheard: MutationRejectedError[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  emit(error: MutationRejectedError): void {
    if (this.#listeners.size > 0) return this.#listeners.emit(this.onListenerError, error);
    this.#unheard.push(error);
    if (this.#unheard.length > UNHEARD_LIMIT) this.#unheard.shift();
  }

  /** Subscribes; a first listener also gets, a microtask later, what nobody heard so far. */
  add(listener: (error: MutationRejectedError) => void): () => void {
    const remove = this.#listeners.add(listener);
    const unheard = this.#unheard;
    if (unheard.length > 0) {
      this.#unheard = [];
      queueMicrotask(() => {
        for (const error of unheard) {
          try {
            listener(error);
          } catch (e) {
            this.onListenerError(e);
          }
        }
      });
    }
    return remove;
  }
}
