import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, suggest } from "../../../src/check/suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("strng", "string")).toBe(1);
    expect(editDistance("amuont", "amount")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
  it("stops early past the limit", () => {
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
  });
});

describe("suggest", () => {
  it("finds the closest plausible candidate", () => {
    expect(suggest("strng", ["string", "number", "bool"])).toBe("string");
    expect(suggest("defualt", ["default", "unknown_action", "on_error"])).toBe("default");
    expect(suggest("Amount", ["amount", "currency"])).toBe("amount");
  });
  it("suggests nothing when no candidate is close", () => {
    expect(suggest("xyz", ["string", "number"])).toBeUndefined();
    expect(suggest("a", [])).toBeUndefined();
  });
  it("never suggests the name itself", () => {
    expect(suggest("abc", ["abc"])).toBeUndefined();
  });
  it("prefers the smaller distance, then the first candidate", () => {
    expect(suggest("blocks", ["blocker", "block"])).toBe("block");
    expect(suggest("ab", ["ax", "ay"])).toBe("ax");
  });
  it("formats a help line", () => {
    expect(didYouMean("strng", ["string"])).toBe("did you mean `string`?");
    expect(didYouMean("zzz", ["string"])).toBeUndefined();
  });
});
