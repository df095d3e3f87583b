/**
 * `@synced-store/server/testing`: test an app's mutators the way Synced-Store tests its own. A
 * real server on loopback, clients behind a seeded fault proxy, and a convergence check
 * (`startConvergenceTest`); the proxy, the seeded generator and the check are also usable alone.
 * See docs/TESTING.md.
 */
export {
  startConvergenceTest,
  defaultFaults,
  testSyncTimings,
  type ConvergenceTest,
  type ConvergenceTestOptions,
  type TestClientOptions,
} from "./testing/convergence-test.js";
export { FaultProxy, type Faults, type FaultProxyOptions, type FaultStats } from "./testing/fault-proxy.js";
export { seededRandom, seedFromEnv } from "./testing/seeded-random.js";
export { waitForConvergence, type ServerSnapshot } from "./testing/wait-for-convergence.js";
