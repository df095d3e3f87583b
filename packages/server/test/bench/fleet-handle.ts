/**
 * The many-clients benchmark's handle on a fleet of clients, in this process or in a child
 * process (`client-fleet-process.ts`): the same five steps either way.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ClientFleet, type ClientSpec, type FleetResult } from "./client-fleet.js";

const SCRIPT = fileURLToPath(new URL("./client-fleet-process.ts", import.meta.url));

/** A fleet, wherever it runs. */
export interface FleetHandle {
  connect(): Promise<void>;
  start(): void;
  measure(): void;
  result(): Promise<FleetResult>;
  close(): Promise<void>;
}

/** A fleet of `specs` in this process. */
export function localFleet(specs: readonly ClientSpec[]): FleetHandle {
  const fleet = new ClientFleet(specs);
  return {
    connect: () => fleet.connect(),
    start: () => fleet.start(),
    measure: () => fleet.measure(),
    result: () => Promise.resolve(fleet.result()),
    close: () => fleet.close(),
  };
}

/** A fleet of `specs` in a child process of its own. */
export async function processFleet(specs: readonly ClientSpec[]): Promise<FleetHandle> {
  const child: ChildProcess = fork(SCRIPT, [], {
    execArgv: ["--conditions=@synced-store/source", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`client process exited with ${code}`));
      child.once("exit", onExit);
      child.once("message", (m) => {
        child.off("exit", onExit);
        resolve(m as T);
      });
    });
  await next<"ready">();
  return {
    async connect() {
      const connected = next<"connected">();
      child.send({ connect: specs });
      await connected;
    },
    start: () => void child.send("start"),
    measure: () => void child.send("measure"),
    async result() {
      const result = next<FleetResult>();
      child.send("result");
      return result;
    },
    async close() {
      const exited = new Promise((r) => child.once("exit", r));
      child.send("close");
      await exited;
    },
  };
}
