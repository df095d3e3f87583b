import type { HostRuntime } from "./host-runtime.js";

/** The host runtime on Node: native byte counting. */
export const nodeHostRuntime: HostRuntime = {
  byteLength: (text) => Buffer.byteLength(text),
};
