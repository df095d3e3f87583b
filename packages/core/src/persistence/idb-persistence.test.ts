import "fake-indexeddb/auto";
import { idbPersistence } from "./idb-persistence.js";
import { runPersistenceContract } from "./persistence-contract.js";

runPersistenceContract("IndexedDB (fake-indexeddb)", () => idbPersistence({ databasePrefix: "contract" }));
