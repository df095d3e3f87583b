import type { HostRuntime } from "./host-runtime.js";

/** The host runtime on Node: native byte counting, and `setImmediate` (after pending I/O callbacks). */
export const nodeHostRuntime: HostRuntime = {
  byteLength: (text) => Buffer.byteLength(text),
  defer: (task) => {
    setImmediate(task);
  },
};
