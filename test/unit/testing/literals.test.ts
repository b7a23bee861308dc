import { describe, expect, it } from "vitest";
import { collectLiterals } from "../../../src/testing/literals.js";
import { checked } from "./helpers.js";

describe("policy literals", () => {
  it("collects strings, numbers, durations, regexes, globs and within-directories", () => {
    const set = checked(`
action fs.delete { path: string, size?: number }
let limit = 100
on fs.delete {
  block etc when path.within(args.path, "/etc") reason "never " + "prose in reasons"
  block keys when path.glob(args.path, "**/.ssh/**") or glob(args.path, "*.pem")
  block versions unless matches(args.path, "^v[0-9]+$")
  risk big 10 when (args.size ?? 0) > limit - 1
  risk negative -5 when contains(args.path, "tmp")
}
test "a name that is prose" {
  request { action: "fs.delete", args: { path: "/srv/x" }, time: "2026-11-24T10:00:00Z" }
  expect block
}
property "a property name" {
  for fs.delete where args.path != "/root"
  expect not allow
  runs 10
}
`);
    const lit = collectLiterals(set);
    expect(lit.dirs).toEqual(["/etc"]);
    expect(lit.globs).toEqual(["**/.ssh/**", "*.pem"]);
    expect(lit.regexes).toEqual(["^v[0-9]+$"]);
    expect(lit.strings).toEqual(expect.arrayContaining(["/etc", "tmp", "/srv/x", "/root", "fs.delete"]));
    // Names of tests and properties and rule reasons are prose, not request values.
    expect(lit.strings).not.toContain("a name that is prose");
    expect(lit.strings).not.toContain("a property name");
    expect(lit.strings).not.toContain("prose in reasons");
    expect(lit.numbers).toEqual(expect.arrayContaining([100, -100, 1, -1, 10, -10, 5, -5, 0]));
  });

  it("keeps durations in milliseconds", () => {
    const set = checked(`
action job.run { every: duration }
on job.run { block too_often when args.every < 15m }
`);
    expect(collectLiterals(set).numbers).toContain(900_000);
  });
});
