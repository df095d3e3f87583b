import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTodoServer } from "./start-server.js";

// `pnpm dev`: the todo app and its sync server, data in apps/todo/.data/todo.sqlite.
const dataDir = fileURLToPath(new URL("../.data/", import.meta.url));
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 5173);
const server = await startTodoServer({
  port,
  host: process.env.HOST ?? "127.0.0.1",
  dbFile: `${dataDir}todo.sqlite`,
});
process.stdout.write(`Todo app and sync server: ${server.url}  (open it in two browsers as two users)\n`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
