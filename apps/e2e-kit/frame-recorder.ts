import type { Page } from "playwright-core";

/** Every WebSocket frame a page received and sent on its sync connections, as text. */
export interface FrameRecorder {
  readonly received: string[];
  readonly sent: string[];
}

/** Starts recording the sync frames of `page` (call before the page opens its sockets). */
export function recordSyncFrames(page: Page): FrameRecorder {
  const recorder: FrameRecorder = { received: [], sent: [] };
  page.on("websocket", (socket) => {
    if (!socket.url().endsWith("/sync")) return;
    socket.on("framereceived", ({ payload }) => {
      recorder.received.push(typeof payload === "string" ? payload : payload.toString("utf8"));
    });
    socket.on("framesent", ({ payload }) => {
      recorder.sent.push(typeof payload === "string" ? payload : payload.toString("utf8"));
    });
  });
  return recorder;
}
