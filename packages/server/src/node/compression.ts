import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { PerMessageDeflateOptions } from "ws";

const gzip = promisify(gzipCallback);

/** How the Node adapters compress what they send. */
export interface CompressionOptions {
  /**
   * Frames and response bodies smaller than this many bytes go out as they are: deflating a
   * small frame costs more time than the bytes it saves. @default 1024
   */
  readonly thresholdBytes?: number;
}

const DEFAULT_THRESHOLD = 1024;

/**
 * The `ws` permessage-deflate settings, bounded in memory per socket: no context is kept between
 * messages (a socket holds no window between frames) and the server's window is 2 KiB with
 * memLevel 6, about 40 KiB of zlib state per socket that has sent a compressed frame instead of
 * about 256 KiB. Sync frames are JSON whose repeats (field names, key prefixes) sit close
 * together, so the small window deflates a poke about as well as the largest one does.
 * Clients that do not offer the extension get plain frames.
 */
export function perMessageDeflate(options: CompressionOptions | false): PerMessageDeflateOptions | false {
  if (options === false) return false;
  return {
    threshold: options.thresholdBytes ?? DEFAULT_THRESHOLD,
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    serverMaxWindowBits: 11,
    zlibDeflateOptions: { memLevel: 6 },
    // Deflating runs on libuv's thread pool: at most this many sockets' frames at once.
    concurrencyLimit: 10,
  };
}

/** Whether an `Accept-Encoding` header accepts gzip (`gzip`, else `*`, with a nonzero q). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  const q = new Map<string, number>();
  for (const part of header.split(",")) {
    const [coding = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const weight = params.find((p) => p.startsWith("q="));
    q.set(coding, weight === undefined ? 1 : Number(weight.slice(2)));
  }
  return (q.get("gzip") ?? q.get("*") ?? 0) > 0;
}

/**
 * Sends `body` (JSON text) with `status`, gzipped when the request accepts gzip and the body is
 * at least the threshold long. `compression` false sends everything as it is.
 */
export async function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  compression: CompressionOptions | false,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const all: OutgoingHttpHeaders = { ...headers, "content-type": "application/json" };
  const threshold = compression === false ? Infinity : (compression.thresholdBytes ?? DEFAULT_THRESHOLD);
  if (compression !== false) all.vary = "accept-encoding";
  const bytes = Buffer.from(body);
  if (bytes.length >= threshold && acceptsGzip(req.headers["accept-encoding"])) {
    const zipped = await gzip(bytes);
    res.writeHead(status, { ...all, "content-encoding": "gzip", "content-length": zipped.length });
    res.end(zipped);
    return;
  }
  res.writeHead(status, { ...all, "content-length": bytes.length });
  res.end(bytes);
}
