/**
 * One new client's first sync, in its own process so its peak RSS is its own:
 * `first-sync-client.ts <ws url> <space instance> <keys expected> [deflate|plain]` (plain: the
 * client does not offer permessage-deflate, so frames come uncompressed). Prints one JSON line: milliseconds
 * from `createStore` until its subscription shows every key, frame bytes received (as the
 * application reads them), bytes read from the TCP socket (after any permessage-deflate), what
 * deflating each frame would save, snapshot parts, and the process's peak RSS.
 */
import { deflateRawSync } from "node:zlib";
import { readFileSync } from "node:fs";
import {
  connectToServer,
  createStore,
  webSocketTransport,
  type WebSocketConstructor,
} from "@synced-store/core";
import { WebSocket } from "ws";
import { recordingTransport } from "../e2e/harness.js";
import { notesStore } from "../e2e/notes-definition.js";

const [url, space, expectedText, mode = "deflate"] = process.argv.slice(2);
if (url === undefined || space === undefined || expectedText === undefined)
  throw new Error("usage: first-sync-client.ts <ws url> <space instance> <keys expected> [deflate|plain]");
const expected = Number(expectedText);
const perMessageDeflate = mode !== "plain";

const sockets: WebSocket[] = [];
/** `ws` that remembers its instances, to read the TCP byte count of each. */
class CountingWebSocket extends WebSocket {
  constructor(address: string) {
    super(address, { perMessageDeflate });
    sockets.push(this);
  }
}

const frames: string[] = [];
let firstPartMs = 0;
let lastPartMs = 0;
const recorded = recordingTransport(
  webSocketTransport({ url, WebSocket: CountingWebSocket as unknown as WebSocketConstructor }),
  frames,
);
/** Notes when the snapshot's first and last frames arrive (stages of the measured path). */
const transport: typeof recorded = {
  kind: recorded.kind,
  open: (handlers) =>
    recorded.open({
      ...handlers,
      onFrame(frame) {
        if (frame.startsWith('{"type":"pull_response"')) {
          lastPartMs = performance.now() - t0;
          if (firstPartMs === 0) firstPartMs = lastPartMs;
        }
        handlers.onFrame(frame);
      },
    }),
};
const t0 = performance.now();
const store = createStore(notesStore, {
  space,
  userId: "reader",
  connect: connectToServer({ url, transport, auth: "reader" }),
});
await new Promise<void>((resolve) => {
  store.subscribe(
    async (tx) => (await tx.scan({ prefix: "notes/" })).length,
    (n) => {
      if (n >= expected) resolve();
    },
  );
});
const ms = performance.now() - t0;
const tcpBytesRead = sockets.reduce(
  (sum, s) => sum + ((s as unknown as { _socket?: { bytesRead: number } })._socket?.bytesRead ?? 0),
  0,
);
const peakRssKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);
await store.close();
const frameBytes = frames.reduce((sum, f) => sum + Buffer.byteLength(f), 0);
const deflatedBytes = frames.reduce((sum, f) => sum + deflateRawSync(f).length, 0);
const parts = frames.filter((f) => f.startsWith('{"type":"pull_response"')).length;
process.stdout.write(
  `${JSON.stringify({ ms, firstPartMs, lastPartMs, frameBytes, tcpBytesRead, deflatedBytes, parts, peakRssKiB })}\n`,
);
process.exit(0);
