import { parseArgs } from "node:util";

/** Usage text of `synced-store load`. */
export const LOAD_USAGE = `Usage: synced-store load <ws url> [options]

Opens N lean clients (the wire protocol, no local store) on M spaces, each pushing one mutation
at a rate, and prints the latency percentiles (push sent → the poke that confirms it) and the
errors. Bounded in clients, rate and time; loopback hosts only unless --allow-remote.

Options:
  --clients <n>          Clients (default 100, at most 10000)
  --spaces <m>           Spaces, clients spread evenly (default 10, at most --clients)
  --space-prefix <p>     Space ids are <p><i> (default "notes/load-")
  --rate <r>             Mutations per client per second (default 1, at most 100)
  --duration <s>         Seconds of load after every client connected (default 10, at most 600)
  --mutator <name>       Mutator to call (default putNote)
  --args <json>          Its arguments; "{client}", "{space}" and "{seq}" are replaced
                         (default {"id":"{client}","text":"{seq}"})
  --auth <token>         Auth sent by every client (default: its user id, load-u<i % 3>)
  --schema-version <v>   Definition version the clients claim (default 1)
  --allow-remote         Allow a host other than loopback
  --json                 Print the report as JSON
`;

/** Parsed options of `load`. */
export interface LoadArgs {
  readonly url: string;
  readonly clients: number;
  readonly spaces: number;
  readonly spacePrefix: string;
  readonly rate: number;
  readonly durationMs: number;
  readonly mutator: string;
  readonly args: string;
  readonly auth: string | undefined;
  readonly schemaVersion: number;
  readonly json: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Parses `load`'s command line; throws a readable error on a bad or out-of-bounds option. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      clients: { type: "string" },
      spaces: { type: "string" },
      "space-prefix": { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      mutator: { type: "string" },
      args: { type: "string" },
      auth: { type: "string" },
      "schema-version": { type: "string" },
      "allow-remote": { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const url = positionals[0];
  if (url === undefined) throw new Error("Missing <ws url>\n\n" + LOAD_USAGE);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Bad url ${url}: e.g. ws://127.0.0.1:8080/sync`);
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:")
    throw new Error(`Bad url ${url}: ws:// or wss://`);
  if (!LOOPBACK.has(parsed.hostname) && values["allow-remote"] !== true) {
    throw new Error(`${parsed.hostname} is not a loopback host; pass --allow-remote to load it`);
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`Bad --${name} ${raw}: ${min} to ${max}`);
    return n;
  };
  const clients = Math.floor(int("clients", values.clients, 100, 1, 10_000));
  const args = values.args ?? '{"id":"{client}","text":"{seq}"}';
  try {
    JSON.parse(args.replaceAll("{seq}", "0"));
  } catch {
    throw new Error(`Bad --args: not JSON once {seq} is replaced: ${args}`);
  }
  return {
    url,
    clients,
    spaces: Math.floor(int("spaces", values.spaces, Math.min(10, clients), 1, clients)),
    spacePrefix: values["space-prefix"] ?? "notes/load-",
    rate: int("rate", values.rate, 1, 0.01, 100),
    durationMs: int("duration", values.duration, 10, 0.1, 600) * 1000,
    mutator: values.mutator ?? "putNote",
    args,
    auth: values.auth,
    schemaVersion: Math.floor(int("schema-version", values["schema-version"], 1, -1e9, 1e9)),
    json: values.json === true,
  };
}
