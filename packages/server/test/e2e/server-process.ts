import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./notes-server-process.ts", import.meta.url));

/** A notes server running in a child process on a SQLite file. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no shutdown code runs, as in a crash. */
  kill(): Promise<void>;
}

/** Starts `notes-server-process.ts` on `dbPath` and resolves once it listens. */
export function startServerProcess(
  dbPath: string,
  port = 0,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--conditions=@synced-store/source", "--import", "tsx", script, dbPath, String(port)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Server process did not start within 30 s: ${err}`));
    }, 30_000);
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Server process exited with ${code}: ${err}`));
    });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /listening (\d+)/.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      const actual = Number(match[1]);
      resolve({
        child,
        port: actual,
        url: `ws://127.0.0.1:${actual}/sync`,
        kill: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGKILL");
          }),
      });
    });
  });
}
