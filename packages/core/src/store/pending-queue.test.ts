import { describe, expect, it } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { MutationRejectedError } from "../errors.js";
import { OrderedMap } from "../kv/ordered-map.js";
import { deferred } from "../util/deferred.js";
import type { PendingMutation } from "./pending-mutation.js";
import { PendingQueue } from "./pending-queue.js";
import type { RunnableMutator } from "./run-mutator.js";

const mutators = todoStore.mutatorDefs as unknown as Record<string, RunnableMutator>;
function mutation(id: number, name = "increment", args: unknown = 1): PendingMutation {
  return {
    id,
    name,
    args,
    parsed: { ok: true, value: args },
    timestamp: id,
    writes: new OrderedMap(),
    confirmed: deferred(),
  };
}

describe("PendingQueue", () => {
  it("numbers from the last acknowledged id and acknowledges in id order", async () => {
    const q = new PendingQueue(mutators);
    q.restore(4, [
      { id: 5, name: "increment", args: 1, timestamp: 0 },
      { id: 6, name: "increment", args: "bad", timestamp: 0 },
    ]);
    expect(q.mutations.map((m) => m.parsed.ok)).toEqual([true, false]);
    expect(q.nextId()).toBe(7);
    q.add(mutation(7));
    expect(q.wire(5).map((m) => m.id)).toEqual([6, 7]);
    q.recordRejection(6, "invalid_args", "bad args");
    q.recordRejection(3, "invalid_args", "already acknowledged: ignored");
    const acked = q.acknowledge(6);
    expect(acked.map((m) => m.id)).toEqual([5, 6]);
    expect(q.acknowledge(6)).toEqual([]);
    expect(q.lastAcknowledgedId).toBe(6);
    const rejected = q.settle(acked);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(MutationRejectedError);
    await expect(acked[0]!.confirmed.promise).resolves.toBeUndefined();
    await expect(acked[1]!.confirmed.promise).rejects.toMatchObject({ code: "invalid_args", mutationId: 6 });
    expect(q.size).toBe(1);
    expect(q.nextId()).toBe(8);
  });

  it("keeps the id sequence when the queue empties, and renumbers for a new history", () => {
    const q = new PendingQueue(mutators);
    q.add(mutation(1));
    q.add(mutation(2));
    q.acknowledge(2);
    expect(q.nextId()).toBe(3);
    q.add(mutation(3));
    q.add(mutation(4));
    expect(q.renumber(10)).toEqual([3, 4]);
    expect(q.mutations.map((m) => m.id)).toEqual([11, 12]);
    expect(q.lastAcknowledgedId).toBe(10);
    expect(q.nextId()).toBe(13);
  });

  it("tracks what was handed out and rejects every confirmed on abandon", async () => {
    const q = new PendingQueue(mutators);
    q.add(mutation(1));
    expect(q.handOut(0).map((m) => m.id)).toEqual([1]);
    const m = q.mutations[0]!;
    q.abandon(new Error("closed"));
    await expect(m.confirmed.promise).rejects.toThrow("closed");
  });
});
