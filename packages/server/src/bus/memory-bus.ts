import { randomUUID } from "node:crypto";
import { BusSubscribers, type Bus } from "./bus.js";

/**
 * An in-process bus network: every bus joined to it hears what any of them publishes. One bus
 * serves a single-process server; several simulate processes in tests. `sever` and `restore`
 * simulate a lost connection: a severed bus neither sends nor hears, and on restore it resyncs.
 */
export class MemoryBusNetwork {
  readonly #members = new Map<string, { subscribers: BusSubscribers; severed: boolean }>();

  /** A new bus on this network. */
  join(options: { onError?: (error: unknown) => void } = {}): Bus {
    const id = randomUUID();
    const member = { subscribers: new BusSubscribers(options.onError ?? (() => undefined)), severed: false };
    this.#members.set(id, member);
    return {
      id,
      publish: (spaceId, version) => {
        if (!this.#members.has(id)) return Promise.reject(new Error("Bus is closed"));
        if (member.severed) return Promise.reject(new Error("Bus is disconnected"));
        const notice = { spaceId, version, origin: id };
        // Deliver asynchronously, as a network bus would: never inside the publisher's call.
        queueMicrotask(() => {
          for (const m of this.#members.values()) if (!m.severed) m.subscribers.version(notice);
        });
        return Promise.resolve();
      },
      publishPresence: (payload) => {
        if (!this.#members.has(id)) return Promise.reject(new Error("Bus is closed"));
        if (member.severed) return Promise.reject(new Error("Bus is disconnected"));
        queueMicrotask(() => {
          for (const m of this.#members.values()) if (!m.severed) m.subscribers.presence(payload);
        });
        return Promise.resolve();
      },
      subscribe: (handlers) => member.subscribers.add(handlers),
      close: () => {
        this.#members.delete(id);
        member.subscribers.clear();
        return Promise.resolve();
      },
    };
  }

  /** Cuts `bus` off: it misses every notice until `restore`. */
  sever(bus: Bus): void {
    const member = this.#members.get(bus.id);
    if (member) member.severed = true;
  }

  /** Reconnects `bus`; its subscribers get `onResync`. */
  restore(bus: Bus): void {
    const member = this.#members.get(bus.id);
    if (!member?.severed) return;
    member.severed = false;
    queueMicrotask(() => member.subscribers.resync());
  }
}

/** A bus for a single-process server: notices go to its own subscribers only. */
export function createMemoryBus(): Bus {
  return new MemoryBusNetwork().join();
}
