import { describe, expect, it } from "vitest";
import { nativesReady } from "../../../src/natives/init.js";
import { call, thrown } from "./helpers.js";

// No initNatives() in this file: each test file gets fresh modules.
describe("shell natives before initNatives()", () => {
  it("fail as a broken invariant, not as an evaluation error", () => {
    expect(nativesReady()).toBe(false);
    expect(thrown(() => call("shell.program", "ls"))).toBe(
      "Error: INVARIANT: shell natives used before initNatives() finished",
    );
  });

  it("leave the other natives working", () => {
    expect(call("sql.verb", "DELETE FROM t")).toBe("DELETE");
  });
});
