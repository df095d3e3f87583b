import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import type { WireErrorCode } from "@synced-store/core/protocol";

/** A request body as text, or why it was refused. */
export type BodyResult =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly status: 400 | 413 | 415;
      readonly code: WireErrorCode;
      readonly message: string;
    };

/**
 * Reads a request body of at most `max` bytes, inflating `Content-Encoding: gzip` on the way.
 * The bound applies to the inflated bytes, counted as they come out of zlib: a small body that
 * inflates to gigabytes (a zip bomb) is cut at `max` and refused with 413, never held whole.
 * The compressed bytes are bounded by `max` too. Past the bound the rest of the request is read
 * and discarded, so the answer reaches the client.
 */
export function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    req.resume();
    return Promise.resolve({
      ok: false,
      status: 415,
      code: "bad_message",
      message: `Content-Encoding ${JSON.stringify(encoding)} is not supported (use gzip or none)`,
    });
  }
  return new Promise((resolve, reject) => {
    const tooLarge: BodyResult = {
      ok: false,
      status: 413,
      code: "frame_too_large",
      message: `Body over ${max} bytes${encoding === "gzip" ? " once inflated" : ""}`,
    };
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    const gunzip = encoding === "gzip" ? req.pipe(createGunzip()) : undefined;
    const source = gunzip ?? req;
    const refuse = () => {
      finish(tooLarge);
      if (gunzip !== undefined) {
        req.unpipe(gunzip);
        gunzip.destroy();
      }
      req.resume();
    };
    source.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) refuse();
      else chunks.push(chunk);
    });
    source.on("end", () => finish({ ok: true, text: Buffer.concat(chunks).toString() }));
    if (gunzip !== undefined) {
      // Gzip members that inflate to nothing would let the raw body grow without bound.
      let raw = 0;
      req.on("data", (chunk: Buffer) => {
        raw += chunk.length;
        if (raw > max && !done) refuse();
      });
      gunzip.on("error", () =>
        finish({ ok: false, status: 400, code: "bad_message", message: "Body is not valid gzip" }),
      );
    }
    req.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}
