/**
 * `@synced-store/server/node`: mounts a sync server on Node's HTTP server and `ws`.
 */
export { attach, listen, type ListenOptions, type RunningServer } from "./node/listen.js";
export { attachWebSocket, type WebSocketOptions } from "./node/ws-adapter.js";
export { createHttpHandler, type HttpHandlerOptions } from "./node/http-adapter.js";
export { createAdminHandler, type AdminHandlerOptions } from "./node/admin-handler.js";
export { cacheControlFor, createStaticHandler, type StaticHandlerOptions } from "./node/static-handler.js";
