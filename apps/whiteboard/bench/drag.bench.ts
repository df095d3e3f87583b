/**
 * A whiteboard drag through real stores and a real server (SQLite file, `ws` on loopback): user A
 * moves a shape with a pointer event every 4 ms (faster than frames, no frame throttle: the
 * store's coalescing alone), user B watches. Figures: mutations and frames A pushed per drag,
 * how many positions B saw, and the delay from A's last move to B seeing it (the timing).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectToServer, createStore, type Store, type WebSocketConstructor } from "@synced-store/core";
import { listen } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { WebSocket } from "ws";
import { report, summarize } from "../../../scripts/bench-kit.js";
import { createWhiteboardSyncServer } from "../server/create-whiteboard-sync-server.js";
import { whiteboard, type WhiteboardDefinition } from "../src/shared/definition.js";
import { SYNC_OPTIONS } from "../src/sync-options.js";

const MOVES = 200;
const INTERVAL_MS = 4;
const DRAGS = 5;

let pushedFrames = 0;
let pushedMutations = 0;
/** `ws` that counts the push frames and mutations it sends. */
class CountingWebSocket extends WebSocket {
  override send(data: unknown): void {
    const text = String(data);
    if (text.includes('"type":"push"')) {
      pushedFrames++;
      pushedMutations += text.split('"name":"setBox"').length - 1;
    }
    super.send(data as string);
  }
}

const dir = mkdtempSync(join(tmpdir(), "whiteboard-bench-"));
const sync = createWhiteboardSyncServer(openSqliteStorage({ path: join(dir, "board.sqlite") }));
const running = await listen(sync, { port: 0 });
const open = (userId: string, Ctor: typeof WebSocket): Store<WhiteboardDefinition> =>
  createStore(whiteboard, {
    space: "bench",
    userId,
    connect: connectToServer({
      ...SYNC_OPTIONS, // as the app does
      url: running.url,
      auth: userId,
      WebSocket: Ctor as unknown as WebSocketConstructor,
    }),
  });
const a = open("ada", CountingWebSocket);
const b = open("bob", WebSocket);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const shape = {
  id: "s1",
  kind: "rect",
  x: 0,
  y: 0,
  w: 100,
  h: 80,
  color: "#a5b4fc",
  text: "",
  z: 1,
} as const;
await (
  await a.mutate.putShape(shape)
).confirmed;

const lastMoveDelays: number[] = [];
const dragMs: number[] = [];
const frames: number[] = [];
const mutations: number[] = [];
const seenPositions: number[] = [];
for (let drag = 0; drag < DRAGS; drag++) {
  const base = drag * 1000;
  let seen = 0;
  let lastSeenAt = 0;
  const target = base + MOVES;
  const done = new Promise<void>((resolve) => {
    const off = b.subscribe(
      (tx) => tx.get("shapes/s1"),
      (s) => {
        if (s === undefined || s.x <= base) return;
        seen++;
        if (s.x === target) {
          lastSeenAt = performance.now();
          queueMicrotask(off);
          resolve();
        }
      },
    );
  });
  pushedFrames = 0;
  pushedMutations = 0;
  let lastMoveAt = 0;
  const startedAt = performance.now();
  for (let i = 1; i <= MOVES; i++) {
    lastMoveAt = performance.now();
    await a.mutate.setBox({ id: "s1", x: base + i, y: i, w: 100, h: 80 });
    await sleep(INTERVAL_MS);
  }
  dragMs.push(lastMoveAt - startedAt);
  await done;
  lastMoveDelays.push(lastSeenAt - lastMoveAt);
  frames.push(pushedFrames);
  mutations.push(pushedMutations);
  seenPositions.push(seen);
}

const median = (xs: number[]) => summarize(xs).medianMs;
// One push per 60 Hz frame of the drag, plus the first and the last.
const framesInDrag = Math.ceil(median(dragMs) / (1000 / 60)) + 2;
report("whiteboard-drag", [
  {
    name: "drag over a real server",
    workload: `${MOVES} setBox calls every ${INTERVAL_MS} ms, SQLite, ws loopback, ${DRAGS} drags`,
    timing: summarize(lastMoveDelays),
    figures: {
      movesPerDrag: MOVES,
      medianMutationsPushed: median(mutations),
      medianPushFrames: median(frames),
      medianPositionsSeenByB: median(seenPositions),
      medianDragMs: Math.round(median(dragMs)),
    },
    target: `at most one pushed move per 60 Hz frame of the drag (≤ ${framesInDrag})`,
    met: median(mutations) <= framesInDrag,
  },
]);

await Promise.all([a.close(), b.close()]);
await running.close();
await sync.close();
rmSync(dir, { recursive: true, force: true });
