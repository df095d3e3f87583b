import { request, type Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";

/** An answer as it came over the socket: `raw` is the body before any decoding. */
export interface RawHttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  /** The body, gunzipped when it was sent gzipped, parsed as JSON. */
  readonly json: Record<string, unknown>;
}

/**
 * POSTs `body` to `http://127.0.0.1:{port}{path}` with `node:http` (no `fetch`: it would add
 * `Accept-Encoding` and decode answers out of sight). Sends only the headers given, plus
 * `content-type: application/json` and the length.
 */
export function httpPost(
  port: number,
  path: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
  agent?: Agent,
): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        ...(agent === undefined ? {} : { agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const text = (res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            raw,
            json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The `connect` message an HTTP request carries, for `space` (default `test/1`) as `auth`. */
export const httpConnect = (clientId: string, auth: string, space = "test/1") => ({
  type: "connect" as const,
  space,
  client_id: clientId,
  auth,
  history_id: null,
  base_version: 0,
  last_mutation_id: 0,
  schema_version: 1,
});
