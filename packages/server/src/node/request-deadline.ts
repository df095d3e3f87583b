import type { Server } from "node:http";
import type { Socket } from "node:net";

/**
 * Destroys every TCP connection of `httpServer` that has not delivered a whole HTTP request
 * (or upgrade request) within `ms` of opening: one that opens and stays silent, or trickles its
 * headers, would otherwise hold a socket for as long as the peer likes. Later requests on a
 * kept-alive connection are Node's `keepAliveTimeout`'s business. Returns a function that stops.
 */
export function enforceRequestDeadline(httpServer: Server, ms: number): () => void {
  const onConnection = (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    timers.set(socket, timer);
    socket.once("close", () => clearTimeout(timer));
  };
  const onRequest = (req: { socket: Socket }) => requestArrived(req.socket);
  httpServer.on("connection", onConnection);
  httpServer.on("request", onRequest);
  return () => {
    httpServer.off("connection", onConnection);
    httpServer.off("request", onRequest);
  };
}

const timers = new WeakMap<Socket, ReturnType<typeof setTimeout>>();

/**
 * A request arrived on `socket`: its deadline no longer applies. Upgrade listeners call it (an
 * `upgrade` listener of our own would count as one, and `attachWebSocket` destroys upgrades no
 * other listener takes only when it is alone).
 */
export function requestArrived(socket: Socket): void {
  clearTimeout(timers.get(socket));
  timers.delete(socket);
}
