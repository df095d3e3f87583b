/**
 * `@synced-store/core/protocol`: the wire protocol shared by client and server: message types,
 * their zod schemas, wire error codes and the codec. docs/PROTOCOL.md describes it.
 */
export * from "./protocol/messages.js";
export * from "./protocol/codec.js";
