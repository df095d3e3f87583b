import { LOAD_USAGE } from "./load-args.js";
import { MIGRATE_USAGE } from "./migrate.js";
import { SERVE_USAGE } from "./serve.js";

/** Usage text of `synced-store` itself. */
export const USAGE = `Usage: synced-store <command> [options]

Commands:
  serve <definition module>    Serve the module's stores: WebSocket and HTTP on one port
  migrate <definition module>  Carry every stored space to the definitions' version now
  load <ws url>                Put a bounded load of clients on a server and report latency

Run synced-store <command> --help for the options of one command.
`;

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  serve: SERVE_USAGE,
  migrate: MIGRATE_USAGE,
  load: LOAD_USAGE,
};

/** What to print instead of running a command, and with which exit code. */
export interface HelpAnswer {
  readonly text: string;
  readonly stream: "stdout" | "stderr";
  readonly exitCode: number;
}

const isHelp = (arg: string) => arg === "--help" || arg === "-h";

/**
 * The help `argv` asks for (`--help`, `<command> --help`), the usage of an unknown or missing
 * command (on stderr, exit 2), or undefined when `argv` names a command to run.
 */
export function helpFor(argv: readonly string[]): HelpAnswer | undefined {
  const [command, ...rest] = argv;
  if (command === undefined || isHelp(command) || command === "help") {
    const usage = command === "help" && rest[0] !== undefined ? COMMAND_USAGE[rest[0]] : undefined;
    return { text: usage ?? USAGE, stream: "stdout", exitCode: 0 };
  }
  const usage = COMMAND_USAGE[command];
  if (usage === undefined) {
    return { text: `Unknown command ${command}\n\n${USAGE}`, stream: "stderr", exitCode: 2 };
  }
  if (rest.some(isHelp)) return { text: usage, stream: "stdout", exitCode: 0 };
  return undefined;
}
