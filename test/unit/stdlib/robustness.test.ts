/**
 * The packs never fail on what an agent sends: for arbitrary commands, SQL, paths, URLs and mail,
 * a decision has no evaluation errors (input the natives cannot read is blocked by a named rule,
 * not by an error), and the interpreter and the compiled module agree.
 */
import fc from "fast-check";
import { beforeAll, expect, describe as group, it } from "vitest";
import { type Engines, engines, userPolicy } from "./pack-harness.js";

let all: Engines;
beforeAll(async () => {
  all = await engines(
    userPolicy(
      ["sql", "shell", "files", "network", "email", "payments", "cloud"]
        .map((p) => `include "stdlib/${p}"`)
        .join("\n"),
    ),
  );
});

/** Strings made of the pieces the packs look for, glued in random order. */
function pieces(parts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...parts), fc.string({ maxLength: 6 })), { maxLength: 12 })
    .map((xs) => xs.join(""));
}

const SHELL = [
  " ",
  "|",
  "&&",
  ";",
  ">",
  ">>",
  "<",
  "$(",
  ")",
  "'",
  '"',
  "\\",
  "rm -rf ",
  "/",
  "~",
  "curl ",
  "sh",
  "-c ",
  "sudo ",
  "chmod ",
  "777 ",
  "nc -e ",
  "/dev/tcp/",
  "python -c ",
  "os.system(",
  "history -c",
  "HISTFILE=",
  "crontab ",
  "~/.bashrc",
  ".env",
  "@",
  "=",
  "git push ",
  "https://",
  "\n",
  "`",
  "find ",
  "-delete",
  "xargs ",
  "dd of=/dev/sda",
];
const SQL = [
  " ",
  "SELECT ",
  "DELETE FROM ",
  "UPDATE ",
  "SET ",
  "WHERE ",
  "1=1",
  "users",
  "public.",
  ";",
  "(",
  ")",
  "'",
  "--",
  "WITH d AS ",
  "RETURNING *",
  "DROP TABLE ",
  "GRANT ",
  "create user ",
  "\n",
  "\t",
  "TRUNCATE ",
];
const PATH = [
  "/",
  "~",
  "..",
  ".",
  ".ssh",
  "id_rsa",
  ".pub",
  ".env",
  "/etc",
  "/tmp",
  "$HOME",
  "*",
  "{",
  "}",
  "[",
  "\\",
  ".github/workflows",
  "CLAUDE.md",
  " ",
  "\u0000",
];
const URL = [
  "http://",
  "https://",
  "file://",
  "169.254.169.254",
  "localhost",
  "[::1]",
  ":",
  "/",
  "?",
  "#",
  "@",
  "%",
  "0x7f.1",
  "example.com",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  " ",
];

function noErrors(request: unknown): void {
  const d = all.interpret(request);
  expect(d.errors, JSON.stringify(request)).toEqual([]);
  expect(all.compiled(request)).toEqual(d);
}

group("the packs on arbitrary input", () => {
  it("shell commands", () => {
    fc.assert(
      fc.property(pieces(SHELL), (command) => noErrors({ action: "shell.exec", args: { command } })),
      {
        numRuns: 400,
      },
    );
  });

  it("SQL", () => {
    fc.assert(
      fc.property(pieces(SQL), (sql) => noErrors({ action: "db.query", args: { sql } })),
      { numRuns: 400 },
    );
  });

  it("paths, for every file action", () => {
    fc.assert(
      fc.property(pieces(PATH), pieces(PATH), fc.boolean(), (p, q, recursive) => {
        noErrors({ action: "fs.read", args: { path: p, cwd: q } });
        noErrors({ action: "fs.list", args: { path: p } });
        noErrors({ action: "fs.write", args: { path: p, content: q } });
        noErrors({ action: "fs.delete", args: { path: p, recursive } });
        noErrors({ action: "fs.move", args: { source: p, destination: q } });
      }),
      { numRuns: 200 },
    );
  });

  it("URLs", () => {
    fc.assert(
      fc.property(pieces(URL), fc.option(pieces(URL), { nil: undefined }), (url, body) =>
        noErrors({
          action: "http.request",
          args: body === undefined ? { url } : { url, body, files: [body] },
        }),
      ),
      { numRuns: 300 },
    );
  });

  it("mail, payments and cloud resources", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (to, text, amount) => {
          noErrors({ action: "email.send", args: { to, subject: text, body: text } });
          noErrors({ action: "payment.create", args: { amount, currency: text, payee: text } });
          noErrors({
            action: "cloud.delete",
            args: { resource_type: text, resource: text, tags: { env: text } },
          });
          noErrors({ action: "cloud.iam", args: { operation: "grant", principal: text, role: text } });
        },
      ),
      { numRuns: 200 },
    );
  });
});
