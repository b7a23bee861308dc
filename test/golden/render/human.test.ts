/**
 * Golden file for the human rendering of diagnostics. Rewrite with `UPDATE_GOLDEN=1 npx vitest run
 * test/golden/render` (never in CI) and read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect, it } from "vitest";
import { type Diagnostic, diag, normalize } from "../../../src/diagnostics/diagnostic.js";
import { renderHuman } from "../../../src/diagnostics/render.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { span } from "../../../src/diagnostics/span.js";

const DB = "policies/db.rplc";
const DB_TEXT = `policy "acme/prod-db" version "1.4.0"

on db.query {
  let verb = sql.verb(args.sql)

  block unbounded_delete
    wen verb == "DELETE" and not sql.has_where(args.sql)
    reason "DELETE without WHERE removes every row"

  allow reads when verb == "SELECT" and
    context.env == "prod" and
    len(args.sql) < 10000
}
`;
const FS = "policies/fs.rplc";
const FS_TEXT =
  'action fs.write {\r\n  path: string\r\n}\r\nrisk production 15 when context.env == "production';

function at(text: string, file: string, needle: string, length = needle.length): ReturnType<typeof span> {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`INVARIANT: fixture has no ${needle}`);
  return span(file, i, i + length);
}

const warning = (d: Diagnostic): Diagnostic => ({ ...d, severity: "warning" });

const diagnostics = normalize([
  diag("RPL1003", at(DB_TEXT, DB, "wen"), ["`when`, `unless` or `reason`", "`wen`"], {
    help: "did you mean `when`?",
  }),
  diag("RPL1010", at(DB_TEXT, DB, 'policy "acme/prod-db"'), [], {
    related: [{ span: at(FS_TEXT, FS, "action fs.write"), message: "first declared here" }],
  }),
  warning(
    diag(
      "RPL1005",
      {
        file: DB,
        start: DB_TEXT.indexOf('verb == "SELECT"'),
        end: DB_TEXT.indexOf("10000") + 5,
      },
      ["this condition"],
    ),
  ),
  diag("RPL1002", at(FS_TEXT, FS, '"production'), [], { help: 'close the string with `"`' }),
  diag("RPL1011", span(FS, FS_TEXT.length, FS_TEXT.length), ["it contains a NUL byte"]),
  diag("RPL5002", undefined, ["20000000", "16777216"]),
]);

it("renders diagnostics for people as in the golden file", () => {
  const sources = new Map([
    [DB, new SourceFile(DB, DB_TEXT)],
    [FS, new SourceFile(FS, FS_TEXT)],
  ]);
  const actual = renderHuman(diagnostics, sources, { color: false });
  const golden = new URL("./human.txt", import.meta.url);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
    if (process.env.CI) throw new Error("golden files are never rewritten in CI");
    writeFileSync(golden, actual);
  }
  expect(actual).toBe(readFileSync(golden, "utf8"));
});
