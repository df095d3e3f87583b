/**
 * What the transport-agnostic engine needs from the JavaScript runtime it runs on. The
 * connection handler and the space engine use only this (no `Buffer`, no `setImmediate`), so
 * they run on any host: Node, Deno, Bun, a worker.
 */
export interface HostRuntime {
  /** Length of `text` in UTF-8 bytes (frame limits are in bytes). */
  byteLength(text: string): number;
  /**
   * Runs `task` on a later turn of the event loop, after the I/O callbacks already due (pushes
   * that arrived together commit first and share one poke).
   */
  defer(task: () => void): void;
}
