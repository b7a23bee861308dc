import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { goldenCases } from "../backend-golden.js";

describe("optimized IR (golden)", () => {
  goldenCases(fileURLToPath(new URL(".", import.meta.url)), "ir", ".ir");
});
