/**
 * What the transport-agnostic engine needs from the JavaScript runtime it runs on. The
 * connection handler and the space engine use only this (no `Buffer`, no `setImmediate`; pokes
 * go out on a microtask after their commit, which every runtime has), so they run on any host:
 * Node, Deno, Bun, a worker.
 */
export interface HostRuntime {
  /** Length of `text` in UTF-8 bytes (frame limits are in bytes). */
  byteLength(text: string): number;
}
