import { describe, expect, it } from "vitest";
import { toUserId } from "./user-name.js";

describe("toUserId", () => {
  it("makes a user id the server accepts from a display name", () => {
    expect(toUserId("  Ada Lovelace ")).toBe("ada-lovelace");
    expect(toUserId("Zoë/../admin")).toBe("zo-admin");
    expect(toUserId("x".repeat(40))).toHaveLength(32);
  });

  it("gives an empty id for a name with nothing usable", () => {
    expect(toUserId(" /// ")).toBe("");
  });
});
