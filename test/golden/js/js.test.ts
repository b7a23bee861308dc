import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { goldenCases } from "../backend-golden.js";

describe("emitted modules (golden)", () => {
  goldenCases(fileURLToPath(new URL(".", import.meta.url)), "js", ".js");
});
