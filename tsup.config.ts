import { readFile } from "node:fs/promises";
import path from "node:path";
import { defineConfig } from "tsup";
import { scriptRuntime } from "./scripts/runtime-script.js";

// The runtime (`runplane`, never imports the compiler or Chevrotain), the compiler
// (`runplane/compiler`), the command line, and one entry per framework integration
// (`runplane/langchain`, …), each importing only its own framework. Dependencies stay external.
const integrations = ["langchain", "openai", "openai-agents", "vercel-ai", "mcp", "claude-code"];
const integrationEntries = Object.fromEntries(
  integrations.map((name) => [`integrations/${name}`, `src/integrations/${name}.ts`]),
);

type Plugin = NonNullable<
  Parameters<typeof defineConfig>[0] extends infer C
    ? C extends { esbuildPlugins?: infer P }
      ? P
      : never
    : never
>[number];

/**
 * The runtime entry in one chunk. With code splitting, esbuild puts each module in the chunk of the
 * set of entry points (static and dynamic) that reach it, so the runtime's modules were spread over
 * 13 chunks, one per such set; Node's ES module loader costs ~0.7 ms per file, and
 * `import "runplane"` loaded 14 (bench/results/engine.md). This plugin makes every module outside
 * the runtime's static closure import the runtime entry first (`import "src/index.ts"`, for its side
 * effects: none but loading it), so every entry point that reaches any runtime module reaches all of
 * them and they share one chunk. The runtime's own modules are left alone (no cycles); a module of the
 * runtime must therefore never be the target of a dynamic import (test/unit/build/chunks.test.ts).
 */
function runtimeInOneChunk(): Plugin {
  const entry = path.resolve("src/index.ts");
  let runtime = new Set<string>();
  return {
    name: "runtime-in-one-chunk",
    setup(build) {
      build.onStart(async () => {
        const r = await build.esbuild.build({
          entryPoints: [entry],
          bundle: true,
          splitting: true,
          format: "esm",
          platform: "node",
          packages: "external",
          outdir: "runtime-closure",
          write: false,
          metafile: true,
          logLevel: "silent",
        });
        // The entry's output and the chunks it imports statically: the runtime's static closure.
        const outputs = r.metafile.outputs;
        const start = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === "src/index.ts");
        const closure = new Set<string>();
        const visit = (o: string) => {
          const out = outputs[o];
          if (out === undefined || closure.has(o)) return;
          closure.add(o);
          for (const i of out.imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
        };
        if (start !== undefined) visit(start);
        runtime = new Set(
          [...closure].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {})).map((i) => path.resolve(i)),
        );
      });
      build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
        if (runtime.has(args.path) || args.path === entry) return undefined;
        const text = await readFile(args.path, "utf8");
        // On the first line, so that the source maps of the rest stay right.
        return { contents: `import ${JSON.stringify(entry)};${text}`, loader: "ts" };
      });
    },
  };
}

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
  esbuildPlugins: [runtimeInOneChunk()],
  // The runtime chunk becomes a script loaded with a V8 code cache (scripts/runtime-script.ts).
  onSuccess: async () => {
    await scriptRuntime(path.resolve("dist"), process.cwd());
  },
  dts: { entry: { index: "src/index.ts", compiler: "src/compiler.ts", ...integrationEntries } },
});
