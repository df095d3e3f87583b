import { runBusContract } from "./bus-contract.js";
import { MemoryBusNetwork } from "./memory-bus.js";

runBusContract("memory", () => {
  const network = new MemoryBusNetwork();
  const a = network.join();
  const b = network.join();
  return Promise.resolve({
    a,
    b,
    cut: (bus) => Promise.resolve(network.sever(bus)),
    restore: (bus) => Promise.resolve(network.restore(bus)),
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  });
});
