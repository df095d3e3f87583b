import { listen, type ListenOptions, type RunningServer } from "../node.js";
import { createSyncServer, type SyncServer, type SyncServerOptions } from "../sync-server.js";
import { RawClient } from "./raw-client.js";
import { testStore } from "./test-store.js";

/** A sync server on a real loopback port, with helpers to open raw clients. */
export interface TestServer {
  readonly server: SyncServer;
  readonly running: RunningServer;
  readonly clients: RawClient[];
  /** Opens a raw WebSocket client (closed by `close`). */
  client(): Promise<RawClient>;
  /** Opens a client and completes its handshake as `userId` (the default authenticate takes auth as the user). */
  connected(userId: string, clientId: string, space?: string): Promise<RawClient>;
  close(): Promise<void>;
}

/** Starts `createSyncServer` with the test store on port 0 (`listenOptions` go to `listen`). */
export async function startTestServer(
  options: Partial<SyncServerOptions> = {},
  listenOptions: ListenOptions = {},
): Promise<TestServer> {
  const server = createSyncServer({ stores: [testStore], ...options });
  const running = await listen(server, { port: 0, pingIntervalMs: 0, ...listenOptions });
  const clients: RawClient[] = [];
  const client = async () => {
    const c = await RawClient.open(running.url);
    clients.push(c);
    return c;
  };
  return {
    server,
    running,
    clients,
    client,
    async connected(userId, clientId, space = "test/1") {
      const c = await client();
      const reply = await c.connect({ space, clientId, auth: userId });
      if (reply.type !== "connected") throw new Error(`connect failed: ${JSON.stringify(reply)}`);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await running.close();
      await server.close();
    },
  };
}
