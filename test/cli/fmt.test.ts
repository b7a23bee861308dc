/** `rplc fmt` is wired into the command line: exit codes and usage errors (the formatter has its own tests). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { assertBuilt, removeTempTrees, rplc, tempTree } from "./helpers.js";

afterAll(removeTempTrees);

beforeAll(() => {
  assertBuilt();
});

const MESSY = "action   db.query {\n sql:string\n}\n";

it("--check exits 1 for a file that would change and leaves it alone; fmt rewrites it; then --check exits 0", () => {
  const dir = tempTree({ "p/a.rplc": MESSY });
  const file = path.join(dir, "p", "a.rplc");
  const check = rplc(["fmt", "--check", "p"], { cwd: dir });
  expect(check.code).toBe(1);
  expect(check.stdout).toContain("p/a.rplc");
  expect(readFileSync(file, "utf8")).toBe(MESSY);

  const write = rplc(["fmt", "p"], { cwd: dir });
  expect(write.code).toBe(0);
  expect(readFileSync(file, "utf8")).not.toBe(MESSY);

  expect(rplc(["fmt", "--check", "p/a.rplc"], { cwd: dir }).code).toBe(0);
});

it("usage errors exit 2 with one line pointing at `rplc fmt --help`", () => {
  const none = rplc(["fmt"]);
  expect(none.code).toBe(2);
  expect(none.stderr).toBe("rplc: no paths given (see 'rplc fmt --help')\n");
  const typo = rplc(["fmt", "--chek", "a.rplc"]);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toBe("rplc: unknown option '--chek', did you mean --check? (see 'rplc fmt --help')\n");
});
