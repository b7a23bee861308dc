import path from "node:path";
import { describe, expect, it } from "vitest";
import { CASES_DIR, caseNames, enginesForCase, readRequests, withoutPolicy } from "./harness.js";

describe.each(caseNames())("conformance case %s", (name) => {
  const dir = path.join(CASES_DIR, name);
  const requests = readRequests(dir);
  const engines = enginesForCase(dir);

  it.each(requests.map((r) => [r.name, r] as const))("%s", async (_label, r) => {
    const e = await engines;
    const interpreted = e.interpret(r.request);
    const compiled = e.compiled(r.request);
    expect(withoutPolicy(interpreted)).toEqual(r.expect);
    expect(withoutPolicy(compiled)).toEqual(r.expect);
    expect(interpreted.policy.hash).toBe(e.hash);
    expect(compiled.policy.hash).toBe(e.hash);
  });
});
