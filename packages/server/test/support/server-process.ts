import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("./server-process-main.ts", import.meta.url));

/** A sync server running in a child process (see `server-process-main.ts`). */
export interface ServerProcess extends AsyncDisposable {
  readonly port: number;
  /** `ws://127.0.0.1:{port}/sync` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Kills it at once, as a crash would (SIGKILL): no clean shutdown, sockets just drop. */
  kill(): Promise<void>;
  /** Stops it cleanly (SIGTERM), or kills it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Environment of a server process: DATABASE_URL and optionally BUS, REDIS_URL, REDIS_PREFIX, POLL_MS. */
export type ServerProcessEnv = Record<string, string>;

/** Starts a server process and resolves once it listens (rejects if it exits or stays silent for `timeoutMs`). */
export function startServerProcess(env: ServerProcessEnv, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server (SIGTERM writes it out).
      ...(env.NODE_FLAGS ?? "").split(" ").filter(Boolean),
      "--expose-gc",
      "--conditions=@synced-store/source",
      "--import",
      "tsx",
      MAIN,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server process did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}: ${stderr}`));
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      const kill = async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      };
      const stop = async (graceMs = 5000) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(t);
      };
      resolve({
        port,
        url: `ws://127.0.0.1:${port}/sync`,
        child,
        kill,
        stop,
        [Symbol.asyncDispose]: () => stop(),
      });
    });
  });
}
