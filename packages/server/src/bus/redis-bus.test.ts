import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { runBusContract } from "./bus-contract.js";
import { createRedisBus } from "./redis-bus.js";
import { describe } from "vitest";
import { REDIS_URL, servicesReady } from "../../test/support/services.js";

const ready = await servicesReady("redis");

describe.skipIf(!ready)("redis bus (needs Redis)", () => {
  runBusContract("redis", async () => {
    // A prefix of its own per run: runs sharing the Redis server never hear each other.
    const prefix = `synced-store-test-${randomBytes(6).toString("hex")}:`;
    const options = { url: REDIS_URL, prefix, reconnect: { minMs: 20, maxMs: 200 } };
    const a = await createRedisBus(options);
    const b = await createRedisBus(options);
    const admin = new Redis(REDIS_URL);
    return {
      a,
      b,
      // Kill b's subscribing connection server-side, found by the name the bus gives it.
      cut: async (bus) => {
        const list = String(await admin.call("CLIENT", "LIST", "TYPE", "pubsub"));
        const ids = list
          .split("\n")
          .filter((line) => line.includes(` name=synced-store-bus-${bus.id} `))
          .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
        if (ids.length !== 1 || !ids[0])
          throw new Error(`expected one subscriber connection, found ${ids.length}`);
        await admin.client("KILL", "ID", ids[0]);
      },
      restore: () => Promise.resolve(),
      sendGarbage: async (payload) => {
        await admin.publish(`${prefix}versions`, payload);
      },
      close: async () => {
        await Promise.all([a.close(), b.close(), admin.quit()]);
      },
    };
  });
});
