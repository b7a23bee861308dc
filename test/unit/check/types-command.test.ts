import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { pascalCase, standaloneSchema, typesCommand } from "../../../src/cli/commands/types.js";
import { memoryIo } from "../../../src/cli/io.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rplc-types-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

/** Type-check `files` (in `dir`) with the TypeScript compiler, strict; the error messages. */
function typecheck(dir: string, files: string[]): string[] {
  const program = ts.createProgram(
    files.map((f) => path.join(dir, f)),
    {
      strict: true,
      noEmit: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: [],
      skipLibCheck: true,
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.basename(d.file.fileName) : "-"}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
}

const POLICY = `context {
  env: "dev" | "production"
  user?: { id: string, roles: list<string> }
}
action db.query {
  sql: string
  database?: string
  timeout?: duration
  at?: timestamp
}
action fs.write from "./schemas/fs.write.json"
on db.query { block b when true }
`;

const FS_WRITE = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Ignored",
  definitions: { mode: { title: "Mode", type: "string", enum: ["append", "replace"] } },
  type: "object",
  properties: { path: { type: "string", minLength: 1 }, mode: { $ref: "#/definitions/mode" } },
  required: ["path"],
};

describe("rplc types", () => {
  it("writes types that compile, with the request union", async () => {
    const dir = workspace({ "p/main.rplc": POLICY, "p/schemas/fs.write.json": JSON.stringify(FS_WRITE) });
    const io = memoryIo({ cwd: dir });
    const code = await typesCommand(["p"], { out: "out/types.ts" }, io);
    expect(io.err.join("")).toContain("RPL3007"); // minLength is not typed: a warning, not a failure
    expect(code).toBe(0);
    expect(io.out.join("")).toBe("wrote out/types.ts: 2 action types\n");
    const text = readFileSync(path.join(dir, "out/types.ts"), "utf8");
    expect(text).toContain("export interface DbQueryArgs");
    expect(text).toContain("export interface FsWriteArgs");
    expect(text).toContain("export interface RunplaneContext");
    expect(text).toContain(
      '  | { action: "db.query"; args: DbQueryArgs; context?: RunplaneContext; time?: string }',
    );
    expect(text).not.toContain("interface Mode");
    expect(readdirSync(path.join(dir, "out"))).toEqual(["types.ts"]);

    writeFileSync(
      path.join(dir, "out/use.ts"),
      `import type { RunplaneRequest, FsWriteArgs } from "./types.js";
const ok: RunplaneRequest[] = [
  { action: "db.query", args: { sql: "SELECT 1", timeout: 5000, at: "2026-01-01T00:00:00Z" }, context: { env: "dev" } },
  { action: "fs.write", args: { path: "/tmp/x", mode: "append" } },
];
// @ts-expect-error: sql is required
const noSql: RunplaneRequest = { action: "db.query", args: {} };
// @ts-expect-error: not a declared action
const unknown: RunplaneRequest = { action: "db.nope", args: { sql: "x" } };
// @ts-expect-error: env is a union
const badEnv: RunplaneRequest = { action: "db.query", args: { sql: "x" }, context: { env: "prod" } };
// @ts-expect-error: mode is an enum
const badMode: FsWriteArgs = { path: "x", mode: "truncate" };
export { ok, noSql, unknown, badEnv, badMode };
`,
    );
    expect(typecheck(path.join(dir, "out"), ["types.ts", "use.ts"])).toEqual([]);
  }, 60_000);

  it("writes nothing and exits 1 when the policy set has errors", async () => {
    const dir = workspace({ "a.rplc": "action a.b { n: nmber }" });
    const io = memoryIo({ cwd: dir });
    expect(await typesCommand(["a.rplc"], { out: "t.ts" }, io)).toBe(1);
    expect(io.err.join("")).toContain("error[RPL3001]");
    expect(readdirSync(dir)).toEqual(["a.rplc"]);
  });

  it("exits 2 for usage errors and unreadable paths", async () => {
    const dir = workspace({ "a.rplc": "block x" });
    expect(await typesCommand([], { out: "t.ts" }, memoryIo({ cwd: dir }))).toBe(2);
    expect(await typesCommand(["a.rplc"], { out: "" }, memoryIo({ cwd: dir }))).toBe(2);
    expect(await typesCommand(["missing"], { out: "t.ts" }, memoryIo({ cwd: dir }))).toBe(2);
    const unwritable = memoryIo({ cwd: dir });
    expect(await typesCommand(["a.rplc"], { out: "a.rplc/t.ts" }, unwritable)).toBe(2);
    expect(unwritable.err.join("")).toMatch(/^rplc: cannot write 'a.rplc\/t.ts': /);
    expect(readdirSync(dir)).toEqual(["a.rplc"]);
  });

  it("writes an empty union and an open context when nothing is declared", async () => {
    const dir = workspace({ "a.rplc": "block x" });
    expect(await typesCommand(["a.rplc"], { out: "t.ts" }, memoryIo({ cwd: dir }))).toBe(0);
    const text = readFileSync(path.join(dir, "t.ts"), "utf8");
    expect(text).toContain("export type RunplaneRequest = never;");
    expect(typecheck(dir, ["t.ts"])).toEqual([]);
  }, 60_000);
});

describe("type names and standalone schemas", () => {
  it("names args interfaces after the action", () => {
    expect(pascalCase("db.query")).toBe("DbQuery");
    expect(pascalCase("fs.write_file")).toBe("FsWriteFile");
  });

  it("inlines local references and cuts recursion", () => {
    const s = standaloneSchema(
      {
        $defs: {
          node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } } },
        },
        type: "object",
        properties: { root: { $ref: "#/$defs/node" }, title: { type: "string", title: "T" } },
      },
      "X",
    );
    expect(s).toEqual({
      type: "object",
      properties: {
        root: { type: "object", properties: { kids: { type: "array", items: {} } } },
        title: { type: "string" },
      },
      title: "X",
    });
  });
});
