import type { TabChannel, TabChannelFactory } from "./tab-channel.js";

/** The part of the `BroadcastChannel` class this adapter uses. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** A `BroadcastChannel` constructor (the browser's, Node's, or a test double). */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/**
 * A {@link TabChannelFactory} over `BroadcastChannel`, the browser global unless another
 * constructor is given. Returns undefined where there is none, so callers fall back to one tab.
 */
export function broadcastTabChannels(
  Ctor: BroadcastChannelConstructor | undefined = (
    globalThis as { BroadcastChannel?: BroadcastChannelConstructor }
  ).BroadcastChannel,
): TabChannelFactory | undefined {
  if (Ctor === undefined) return undefined;
  return (name) => broadcastTabChannel(new Ctor(name));
}

function broadcastTabChannel(channel: BroadcastChannelLike): TabChannel {
  const listeners = new Set<(event: { data: unknown }) => void>();
  return {
    post: (message) => channel.postMessage(message),
    onMessage(listener) {
      const handler = (event: { data: unknown }) => listener(event.data);
      listeners.add(handler);
      channel.addEventListener("message", handler);
      return () => {
        listeners.delete(handler);
        channel.removeEventListener("message", handler);
      };
    },
    close() {
      for (const handler of listeners) channel.removeEventListener("message", handler);
      listeners.clear();
      channel.close();
    },
  };
}
