import { connectToServer, type ServerConnectionOptions } from "@synced-store/core";

/**
 * `connectToServer` for a browser page: the browser knows first when the network goes, so the
 * connection drops at once on `offline` (instead of waiting for the heartbeat to time out) and
 * reconnects at once on `online`. The listeners go when the store closes.
 */
export function browserConnection(options: ServerConnectionOptions): ReturnType<typeof connectToServer> {
  const connect = connectToServer(options);
  return (target, context) => {
    const connection = connect(target, context);
    const onOffline = () => {
      connection.client.stop();
      connection.client.start();
    };
    const onOnline = () => connection.client.reconnectNow();
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
    return {
      client: connection.client,
      status: () => connection.status(),
      onStatusChange: (listener) => connection.onStatusChange(listener),
      action: (name, args) => connection.action(name, args),
      async close() {
        window.removeEventListener("offline", onOffline);
        window.removeEventListener("online", onOnline);
        await connection.close();
      },
    };
  };
}
