import { describe, expect, it } from "vitest";
import type { PatchOp, PullResponseMessage } from "../protocol/messages.js";
import { SnapshotAssembler } from "./snapshot-assembler.js";

const set = (key: string): PatchOp => ({ op: "set", key, value: key });
function part(version: number, patches: PatchOp[], more: boolean, ids: Record<string, number> = {}) {
  const message: PullResponseMessage = {
    type: "pull_response",
    min_included_version: 0,
    max_included_version: version,
    patches,
    client_id_to_last_mutation_id: ids,
  };
  return more ? { ...message, more } : message;
}

describe("SnapshotAssembler", () => {
  it("holds parts back until the last, then returns the whole snapshot with the last part's ids", () => {
    const a = new SnapshotAssembler();
    expect(a.accept(part(5, [{ op: "reset" }, set("a")], true), "h")).toBeUndefined();
    expect(a.resumeFrom("h")).toEqual({ version: 5, after_key: "a" });
    expect(a.resumeFrom("other")).toBeUndefined();
    const whole = a.accept(part(5, [set("b")], false, { c1: 3 }), "h");
    expect(whole?.patches).toEqual([{ op: "reset" }, set("a"), set("b")]);
    expect(whole?.client_id_to_last_mutation_id).toEqual({ c1: 3 });
    expect(whole?.more).toBeUndefined();
    expect(a.resumeFrom("h")).toBeUndefined();
  });

  it("skips keys it already holds and ignores continuations it cannot place", () => {
    const a = new SnapshotAssembler();
    expect(a.accept(part(5, [set("b")], false), "h")).toBeUndefined(); // nothing collected
    a.accept(part(5, [{ op: "reset" }, set("a"), set("b")], true), "h");
    expect(a.accept(part(6, [set("c")], true), "h")).toBeUndefined(); // another version
    const whole = a.accept(part(5, [set("b"), set("c")], false), "h");
    expect(whole?.patches).toEqual([{ op: "reset" }, set("a"), set("b"), set("c")]);
  });

  it("starts over on a part with reset, and passes other responses through", () => {
    const a = new SnapshotAssembler();
    a.accept(part(5, [{ op: "reset" }, set("a")], true), "h");
    a.accept(part(7, [{ op: "reset" }, set("z")], true), "h");
    expect(a.accept(part(7, [], false), "h")?.patches).toEqual([{ op: "reset" }, set("z")]);
    const single = part(8, [{ op: "reset" }], false);
    expect(a.accept(single, "h")).toBe(single);
    const incremental = { ...part(9, [set("q")], false), min_included_version: 9 };
    expect(a.accept(incremental, "h")).toBe(incremental);
  });
});
