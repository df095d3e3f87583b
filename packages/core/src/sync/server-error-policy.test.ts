import { describe, expect, it } from "vitest";
import { serverErrorAction } from "./server-error-policy.js";

describe("serverErrorAction", () => {
  it.each(["unauthenticated", "auth_expired", "revoked"] as const)(
    "%s: reconnect with an auth function (asked afresh), stop with a fixed token",
    (code) => {
      expect(serverErrorAction(code, true)).toBe("reconnect");
      expect(serverErrorAction(code, false)).toBe("fatal");
    },
  );

  it.each(["client_id_taken", "too_many_clients"] as const)("%s: stops, whatever the auth", (code) => {
    expect(serverErrorAction(code, true)).toBe("fatal");
    expect(serverErrorAction(code, false)).toBe("fatal");
  });
});
