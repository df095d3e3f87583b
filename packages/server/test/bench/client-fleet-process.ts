/**
 * A `ClientFleet` in a process of its own, driven over IPC by the many-clients benchmark:
 * `{ connect: ClientSpec[] }` → `"connected"`; `"start"`; `"measure"`; `"result"` → a
 * `FleetResult`; `"close"` closes the clients and exits.
 */
import { ClientFleet, type ClientSpec } from "./client-fleet.js";

type Command = { connect: ClientSpec[] } | "start" | "measure" | "result" | "close";

let fleet: ClientFleet | undefined;
const reply = (message: unknown) => process.send!(message);

process.on("message", (command: Command) => {
  void (async () => {
    if (typeof command === "object") {
      fleet = new ClientFleet(command.connect);
      await fleet.connect();
      reply("connected");
    } else if (command === "start") fleet!.start();
    else if (command === "measure") fleet!.measure();
    else if (command === "result") reply(fleet!.result());
    else {
      await fleet?.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    process.stderr.write(`client fleet: ${String(error)}\n`);
    process.exit(1);
  });
});
reply("ready");
