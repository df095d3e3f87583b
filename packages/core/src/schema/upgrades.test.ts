import { describe, expect, it } from "vitest";
import { z } from "zod";
import { todoV1, todoV2, todoV3 } from "../../test/todo-versions.js";
import { defineStore } from "./define-store.js";
import { upgradeMutation } from "./upgrade-mutation.js";
import { downgradeValue, hasDowngrades, upgradeEntries } from "./upgrade-values.js";
import { RETIRED_MUTATION } from "./upgrades.js";

const todo = { id: "a", text: "Milk", done: false };

describe("upgradeMutation", () => {
  it("renames, upgrades args and retires, step by step", () => {
    const u = todoV3.upgrades;
    expect(upgradeMutation(u, 1, 2, "toggle", { id: "a" })).toEqual({
      ok: true,
      name: "toggleDone",
      args: { id: "a" },
    });
    expect(upgradeMutation(u, 1, 3, "addTodo", { id: "a", text: "Milk" })).toEqual({
      ok: true,
      name: "addTodo",
      args: { id: "a", title: "Milk", priority: "normal" },
    });
    expect(upgradeMutation(u, 2, 3, "addTodo", { id: "a", text: "Milk", priority: "high" })).toEqual({
      ok: true,
      name: "addTodo",
      args: { id: "a", title: "Milk", priority: "high" },
    });
    expect(upgradeMutation(u, 1, 3, "archive", { id: "a" })).toEqual({
      ok: false,
      code: "mutator_retired",
      message: "archive was retired in version 2: archiving is gone; delete the todo instead",
    });
    // Unlisted mutators, an up-to-date call and the retired placeholder pass unchanged.
    expect(upgradeMutation(u, 1, 3, "increment", 2)).toEqual({ ok: true, name: "increment", args: 2 });
    expect(upgradeMutation(u, 3, 3, "archive", {})).toEqual({ ok: true, name: "archive", args: {} });
    expect(upgradeMutation(u, 1, 3, RETIRED_MUTATION, { mutator: "x" })).toMatchObject({
      ok: true,
      name: RETIRED_MUTATION,
    });
    expect(upgradeMutation(u, 1, 3, "constructor", 1)).toEqual({ ok: true, name: "constructor", args: 1 });
  });

  it("turns a throwing args upgrade into invalid_args", () => {
    const u = {
      2: {
        mutators: {
          m: {
            args: () => {
              throw new Error("no way");
            },
          },
        },
      },
    };
    expect(upgradeMutation(u, 1, 2, "m", {})).toEqual({
      ok: false,
      code: "invalid_args",
      message: "Upgrading m to version 2 failed: no way",
    });
  });
});

describe("upgradeEntries and downgradeValue", () => {
  it("adds a field, then renames one and splits the family, leaving other families alone", () => {
    const base: Array<[string, unknown]> = [
      ["todos/a", todo],
      ["counter", 3],
    ];
    expect([...upgradeEntries(todoV3.upgrades, 1, 2, base)]).toEqual([
      ["todos/a", { ...todo, priority: "normal" }],
      ["counter", 3],
    ]);
    expect([...upgradeEntries(todoV3.upgrades, 1, 3, base)]).toEqual([
      ["todos/a", { id: "a", title: "Milk", done: false }],
      ["priorities/a", "normal"],
      ["counter", 3],
    ]);
    expect([...upgradeEntries(todoV3.upgrades, 3, 3, base)]).toEqual(base);
  });

  it("an entries upgrade may drop an entry", () => {
    const u = { 2: { values: { "old/*": { entries: () => [] } } } };
    expect([
      ...upgradeEntries(u, 1, 2, [
        ["old/1", 1],
        ["keep", 2],
      ]),
    ]).toEqual([["keep", 2]]);
  });

  it("down turns a newer value into what an older client reads; families without it pass", () => {
    const v2 = { ...todo, priority: "high" };
    expect(downgradeValue(todoV2.upgrades, 2, 1, "todos/a", v2)).toEqual(todo);
    expect(downgradeValue(todoV2.upgrades, 2, 2, "todos/a", v2)).toEqual(v2);
    expect(downgradeValue(todoV2.upgrades, 2, 1, "counter", 5)).toBe(5);
    expect(hasDowngrades(todoV2.upgrades, 2, 1)).toBe(true);
    expect(hasDowngrades(todoV3.upgrades, 3, 2)).toBe(false);
  });
});

describe("defineStore versions", () => {
  it("declares version, range and upgrades; schemaVersion follows version", () => {
    expect(todoV1).toMatchObject({ version: 1, schemaVersion: 1, minSupportedVersion: 1 });
    expect(todoV3).toMatchObject({ version: 3, schemaVersion: 3, minSupportedVersion: 2 });
    // Overriding mutators (a server definition) keeps the versions.
    expect(todoV3.mutators({})).toMatchObject({ version: 3, minSupportedVersion: 2 });
  });

  it("refuses inconsistent versions and reserved mutator names", () => {
    const keys = { n: z.number() };
    expect(() => defineStore({ name: "x", version: 0, keys })).toThrow("version must be an integer >= 1");
    expect(() => defineStore({ name: "x", version: 2, minSupportedVersion: 3, keys })).toThrow(
      "minSupportedVersion must be an integer from 1 to version (2)",
    );
    expect(() => defineStore({ name: "x", version: 2, keys, upgrades: { 3: {} } })).toThrow(
      "upgrades are keyed by the version they lead to (2 to 2)",
    );
    expect(() =>
      defineStore({ name: "x", keys }).mutators({ $$retired: { args: z.null(), run: () => undefined } }),
    ).toThrow('Mutator names may not start with "$$"');
  });
});
