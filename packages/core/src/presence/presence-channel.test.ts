import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ValidationError } from "../errors.js";
import type { PresenceUpdateMessage } from "../protocol/messages.js";
import { PresenceChannel } from "./presence-channel.js";

const Cursor = z.object({ x: z.number(), y: z.number(), name: z.string().optional() });
type Cursor = z.infer<typeof Cursor>;

function makeChannel() {
  const onError = vi.fn();
  return { channel: new PresenceChannel<Cursor>(Cursor, () => "me", onError), onError };
}

const update = (full: boolean, set: [string, unknown][], removed: string[] = []): PresenceUpdateMessage => ({
  type: "presence",
  full,
  set: set.map(([client_id, state]) => ({ client_id, user_id: `u-${client_id}`, state })),
  removed,
});

describe("PresenceChannel", () => {
  it("validates its own state against the schema, freezes it, and tells the sync layer", () => {
    const { channel } = makeChannel();
    const sends = vi.fn();
    const own = vi.fn();
    channel.onOwnChange(sends);
    channel.subscribeOwn(own);
    expect(channel.get()).toBeNull();
    channel.set({ x: 1, y: 2 });
    expect(channel.get()).toEqual({ x: 1, y: 2 });
    expect(Object.isFrozen(channel.get())).toBe(true);
    channel.update({ name: "ann" });
    expect(channel.ownState()).toEqual({ x: 1, y: 2, name: "ann" });
    channel.update({ name: "ann" }); // no change, no send
    expect(sends).toHaveBeenCalledTimes(2);
    expect(own.mock.calls.map(([s]) => s as unknown)).toEqual([
      { x: 1, y: 2 },
      { x: 1, y: 2, name: "ann" },
    ]);
    expect(() => channel.set({ x: "1", y: 2 })).toThrow(ValidationError);
    expect(() => channel.update({ x: Number.NaN as never, y: undefined as never })).toThrow(
      /Invalid presence/,
    );
    expect(channel.get()).toEqual({ x: 1, y: 2, name: "ann" });
    channel.clear();
    expect(channel.get()).toBeNull();
    expect(sends).toHaveBeenCalledTimes(3);
  });

  it("refuses presence on a store that defines none", () => {
    const none = new PresenceChannel(
      undefined,
      () => "me",
      () => undefined,
    );
    expect(() => none.set({})).toThrow(/defines no presence/);
  });

  it("keeps each peer's identity until its own state changes (structural sharing)", () => {
    const { channel } = makeChannel();
    const heard = vi.fn();
    channel.subscribe(heard);
    channel.receive(
      update(true, [
        ["a", { x: 1, y: 1 }],
        ["b", { x: 2, y: 2 }],
      ]),
    );
    const first = channel.others();
    const [a, b] = first;
    expect(first.map((p) => p.clientId)).toEqual(["a", "b"]);
    expect(a).toEqual({ clientId: "a", userId: "u-a", state: { x: 1, y: 1 } });
    channel.receive(update(false, [["b", { x: 3, y: 3 }]]));
    const second = channel.others();
    expect(second).not.toBe(first);
    expect(second[0]).toBe(a); // a did not move: same object
    expect(second[1]).not.toBe(b);
    expect(second[1]!.state).toEqual({ x: 3, y: 3 });
    // The same state again changes nothing: no new array, no notification.
    channel.receive(update(false, [["b", { x: 3, y: 3 }]]));
    expect(channel.others()).toBe(second);
    expect(heard).toHaveBeenCalledTimes(2);
    // A full snapshot keeps unchanged peers, drops the missing ones, and never lists this client.
    channel.receive(
      update(true, [
        ["b", { x: 3, y: 3 }],
        ["me", { x: 0, y: 0 }],
        ["c", { x: 4, y: 4 }],
      ]),
    );
    expect(channel.others().map((p) => p.clientId)).toEqual(["b", "c"]);
    expect(channel.others()[0]).toBe(second[1]);
    channel.receive(update(false, [], ["b"]));
    expect(channel.others().map((p) => p.clientId)).toEqual(["c"]);
    expect(Object.isFrozen(channel.others())).toBe(true);
    expect(Object.isFrozen(channel.others()[0]!.state)).toBe(true);
  });

  it("empties the others when the connection ends, rather than freezing them", () => {
    const { channel } = makeChannel();
    const heard = vi.fn();
    channel.subscribe(heard);
    channel.receive(update(true, [["a", { x: 1, y: 1 }]]));
    channel.disconnected();
    expect(channel.others()).toEqual([]);
    expect(heard).toHaveBeenLastCalledWith([]);
    channel.disconnected();
    expect(heard).toHaveBeenCalledTimes(2);
  });

  it("reports a throwing listener and still calls the rest", () => {
    const { channel, onError } = makeChannel();
    const second = vi.fn();
    channel.subscribe(() => {
      throw new Error("listener bug");
    });
    channel.subscribe(second);
    channel.receive(update(false, [["a", { x: 1, y: 1 }]]));
    expect(onError).toHaveBeenCalledOnce();
    expect(second).toHaveBeenCalledOnce();
  });
});
