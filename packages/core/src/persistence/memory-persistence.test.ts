import { memoryPersistence } from "./memory-persistence.js";
import { runPersistenceContract } from "./persistence-contract.js";

runPersistenceContract("memory", () => memoryPersistence());
