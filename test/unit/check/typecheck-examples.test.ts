/** The examples of LANGUAGE.md §5–§7, put together as one policy set, check without errors. */
import { describe, expect, it } from "vitest";
import { LET_DEF, RULES, SETTINGS_CONTEXT_QUERY, TESTS } from "../../fixtures/language-examples.js";
import { checkText } from "./typecheck-helpers.js";

const LANGUAGE_EXAMPLES = `policy "acme/prod-db" version "1.4.0"

${SETTINGS_CONTEXT_QUERY}action fs.write { path: string, content: string }
action fs.delete { path: string }

${LET_DEF}
${RULES}
${TESTS}`;

describe("LANGUAGE.md §5–§7 examples", () => {
  const c = checkText(LANGUAGE_EXAMPLES);
  it("check without errors", () => {
    expect(c.found).toEqual([]);
    expect(c.value?.rules.map((r) => r.name)).toEqual([
      "unbounded_delete",
      "prod_write",
      "reads",
      "after_hours",
    ]);
    expect(c.value?.risks.map((r) => r.name)).toEqual(["destructive", "production"]);
  });
  it("warn only about the declarations the examples never use", () => {
    expect(c.warned).toEqual(["RPL4003@protected", "RPL4003@internal"]);
  });
});
