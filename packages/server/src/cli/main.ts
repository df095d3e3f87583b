/**
 * The `synced-store` command line. `synced-store serve <definition module> [--port] [--db]`
 * serves an app's store definitions, logging JSON lines to stdout; `synced-store load <url>`
 * puts a bounded load of lean clients on a server and prints latency percentiles and errors.
 */
import { jsonLogger } from "./json-logger.js";
import { parseLoadArgs } from "./load-args.js";
import { formatLoadReport, runLoad } from "./load.js";
import { migrate } from "./migrate.js";
import { parseServeArgs, serve } from "./serve.js";
import { helpFor } from "./usage.js";

async function main(argv: string[]): Promise<void> {
  const help = helpFor(argv);
  if (help !== undefined) {
    process[help.stream].write(help.text);
    process.exitCode = help.exitCode;
    return;
  }
  const [command, ...rest] = argv;
  if (command === "migrate") {
    const report = await migrate(rest, process.env, jsonLogger());
    process.exitCode = report.failed.length > 0 ? 1 : 0;
    return;
  }
  if (command === "load") {
    const args = parseLoadArgs(rest);
    const report = await runLoad(args);
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatLoadReport(report));
    // Unanswered or refused mutations are a failed run.
    process.exitCode =
      report.connected < report.clients || report.unconfirmed > 0 || Object.keys(report.errors).length > 0
        ? 1
        : 0;
    // Sockets closing in the background must not hold the exit.
    process.exit();
  }
  const args = parseServeArgs(rest, process.env);
  const logger = jsonLogger(undefined, args.logLevel);
  const { server, running, bus } = await serve(args, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    void running
      .close()
      .then(() => server.close())
      .then(() => bus?.close())
      .then(() => logger.info("stopped"))
      .catch((error: unknown) => logger.error("stop failed", { error: String(error) }))
      .finally(() => process.exit());
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
