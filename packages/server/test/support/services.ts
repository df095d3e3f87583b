import { connect } from "node:net";
import { DATABASE_URL } from "./temp-postgres.js";

/** The Redis server the tests and benchmarks use; each run works under its own key prefix. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** An outside service some tests need. */
export type Service = "postgres" | "redis";

const SERVICES: Record<Service, { name: string; url: string; env: string; start: string }> = {
  postgres: {
    name: "PostgreSQL",
    url: DATABASE_URL,
    env: "DATABASE_URL",
    start: "pg_ctlcluster <version> main start",
  },
  redis: {
    name: "Redis",
    url: REDIS_URL,
    env: "REDIS_URL",
    start: "redis-server --daemonize yes --port 6379",
  },
};

/** Set to "1" (as `.ci/run` does) to fail instead of skip when a service is down. */
export const REQUIRE_SERVICES_ENV = "SYNCED_STORE_REQUIRE_SERVICES";

/**
 * Whether every one of `services` accepts a TCP connection. When one does not, the tests that
 * need it should skip (`describe.skipIf(!ready)`): a fresh machine without PostgreSQL or Redis
 * still passes `pnpm test`. This prints one line saying what to start; with
 * `SYNCED_STORE_REQUIRE_SERVICES=1` it throws instead, so CI cannot skip them by accident.
 */
export function servicesReady(...services: Service[]): Promise<boolean> {
  return checkServices(services, process.env, (line) => process.stderr.write(`${line}\n`));
}

/** {@link servicesReady} with the environment and the output passed in. */
export async function checkServices(
  services: readonly Service[],
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<boolean> {
  const down: string[] = [];
  for (const service of services) {
    const { name, url: fallback, env: variable, start } = SERVICES[service];
    const url = env[variable] ?? fallback;
    if (await reachable(url)) continue;
    down.push(`${name} is not reachable at ${redact(url)}: start it (${start}) or set ${variable}`);
  }
  if (down.length === 0) return true;
  const message = down.join("; ");
  if (env[REQUIRE_SERVICES_ENV] === "1") {
    throw new Error(`${message} (${REQUIRE_SERVICES_ENV}=1 makes this a failure)`);
  }
  print(`skipped: ${message}`);
  return false;
}

/** Milliseconds to wait for a TCP connection before calling a service down. */
const PROBE_TIMEOUT_MS = 2_000;

function reachable(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  const defaultPort = protocol.startsWith("redis") ? 6379 : 5432;
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Drops a password from a connection string before it is printed. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
