import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startWhiteboardServer } from "./start-server.js";

// `pnpm dev:whiteboard`: the whiteboard and its sync server, data in apps/whiteboard/.data/whiteboard.sqlite.
const dataDir = fileURLToPath(new URL("../.data/", import.meta.url));
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 5174);
const server = await startWhiteboardServer({
  port,
  host: process.env.HOST ?? "127.0.0.1",
  dbFile: `${dataDir}whiteboard.sqlite`,
});
process.stdout.write(`Whiteboard and sync server: ${server.url}  (open it in two browsers as two users)\n`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
