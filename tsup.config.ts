import { defineConfig } from "tsup";

// Three entries: the runtime (`runplane`, never imports the compiler or Chevrotain), the compiler
// (`runplane/compiler`) and the command line. Dependencies stay external.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    compiler: "src/compiler.ts",
    "cli/main": "src/cli/main.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: { entry: { index: "src/index.ts", compiler: "src/compiler.ts" } },
});
