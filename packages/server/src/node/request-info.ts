import type { IncomingMessage } from "node:http";
import type { RequestInfo } from "../connection/hooks.js";

/** The hook-facing view of a Node request. */
export function requestInfo(req: IncomingMessage): RequestInfo {
  return {
    headers: req.headers,
    ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
    ...(req.url === undefined ? {} : { url: req.url }),
  };
}

/** The path of a request URL, without its query. */
export function pathOf(url: string | undefined): string {
  const q = (url ?? "/").indexOf("?");
  return q < 0 ? (url ?? "/") : (url ?? "/").slice(0, q);
}
