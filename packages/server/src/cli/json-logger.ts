import type { Logger } from "../logger.js";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A `Logger` that writes one JSON object per line (`time`, `level`, `msg`, then the data), for
 * log collectors. Lines below `minLevel` are dropped.
 */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  minLevel: Level = "info",
): Logger {
  const log = (level: Level) => (msg: string, data?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...data }) + "\n");
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
