import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * `GET /heap` of the benchmarks' server processes: heap use after a forced GC (start node with
 * `--expose-gc`), memory figures and CPU time so far (`cpuMicros`). Anything else: 404.
 */
export function heapEndpoint(req: IncomingMessage, res: ServerResponse): void {
  if (req.url !== "/heap") {
    res.writeHead(404);
    res.end();
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { user, system } = process.cpuUsage();
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ gc: gc !== undefined, ...process.memoryUsage(), cpuMicros: user + system }));
}
