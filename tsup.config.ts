import { defineConfig } from "tsup";

// The runtime (`runplane`, never imports the compiler or Chevrotain), the compiler
// (`runplane/compiler`), the command line, and one entry per framework integration
// (`runplane/langchain`, …), each importing only its own framework. Dependencies stay external.
const integrations = ["langchain", "openai", "openai-agents", "vercel-ai", "mcp", "claude-code"];
const integrationEntries = Object.fromEntries(
  integrations.map((name) => [`integrations/${name}`, `src/integrations/${name}.ts`]),
);

export default defineConfig({
  entry: {
    index: "src/index.ts",
    compiler: "src/compiler.ts",
    "cli/main": "src/cli/main.ts",
    ...integrationEntries,
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: { entry: { index: "src/index.ts", compiler: "src/compiler.ts", ...integrationEntries } },
});
