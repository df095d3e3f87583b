import { createMemoryStorage } from "./memory.js";
import { runStorageContract } from "./storage-contract.js";

runStorageContract("memory", () => createMemoryStorage());
