/**
 * `rplc mcp-schemas`: a real MCP server's tool schemas → action declarations that `rplc check`
 * accepts, so rules over MCP tools are type-checked (a wrong field name is an error).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpToolDeclarations } from "../../../src/integrations/mcp.js";
import { FS_SERVER, removeTempDirs, rplc, TICKETS_SERVER, TSX, tempDir } from "./fixtures/mcp/procs.js";

afterAll(removeTempDirs);

describe("rplc mcp-schemas", () => {
  let dir: string;
  let written: ReturnType<typeof rplc>;
  beforeAll(() => {
    dir = tempDir("rp-mcp-schemas-");
    written = rplc(
      [
        "mcp-schemas",
        "--out",
        "policies/tickets.rplc",
        "--",
        process.execPath,
        "--import",
        TSX,
        TICKETS_SERVER,
      ],
      dir,
    );
  });

  it("writes one declaration and one schema per tool the proxy decides under its own name", () => {
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(
      [
        "wrote policies/tickets.rplc: 3 tools of tickets",
        "  declared 2 actions: tool.create_ticket, tool.close_ticket (schemas in policies/schemas/)",
        '  1 decided as standard actions (fs.read): include "stdlib/files" or "stdlib/actions" for their declarations',
        "",
      ].join("\n"),
    );
    const rplcText = readFileSync(path.join(dir, "policies/tickets.rplc"), "utf8");
    expect(rplcText).toContain(
      '# create_ticket: Open a ticket in the tracker.\naction tool.create_ticket from "./schemas/tool.create_ticket.json"\n',
    );
    expect(rplcText).toContain('action tool.close_ticket from "./schemas/tool.close_ticket.json"\n');
    expect(rplcText).toContain("#   read_file → fs.read\n");
    const schema = JSON.parse(
      readFileSync(path.join(dir, "policies/schemas/tool.create_ticket.json"), "utf8"),
    );
    expect(schema).toMatchObject({
      $schema: "http://json-schema.org/draft-07/schema#",
      title: "tool.create_ticket",
      required: ["title", "priority"],
      additionalProperties: false,
    });
    // The schema's minLength is beyond the type checker; the command says so once.
    expect(written.stderr).toBe(
      "rplc: 1 warning about the schemas: `rplc check policies/tickets.rplc` shows it\n",
    );
  });

  it("a policy over the declared tools checks; a wrong field name or enum value does not", () => {
    writeFileSync(
      path.join(dir, "policies/rules.rplc"),
      `on tool.create_ticket {
  block urgent_unassigned
    when args.priority == "urgent" and not has(args.assignee)
    reason "urgent tickets need an assignee"
}

on tool.close_ticket {
  require approval close_review when args.id > 1000 reason "old tickets are closed by a human"
}
`,
    );
    const ok = rplc(["check", "policies"], dir);
    expect(ok.stdout).not.toMatch(/error/);
    expect(ok.code).toBe(0);

    writeFileSync(
      path.join(dir, "policies/rules.rplc"),
      `on tool.create_ticket {
  block urgent when args.priorty == "urgent" reason "typo in the field"
}
`,
    );
    const typo = rplc(["check", "policies"], dir);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toMatch(/policies\/rules\.rplc:2:\d+: error\[RPL\d+\]: .*priorty/);

    writeFileSync(
      path.join(dir, "policies/rules.rplc"),
      `on tool.create_ticket {
  block urgent when args.priority == "critical" reason "no such priority"
}
`,
    );
    const value = rplc(["check", "policies"], dir);
    expect(value.code).toBe(1);
    expect(value.stdout).toMatch(/error\[RPL\d+\]: .*critical/);
  });

  it("--namespace names the actions mcp.<namespace>.<tool>, as mcp-proxy --namespace does", () => {
    const r = rplc(
      [
        "mcp-schemas",
        "--namespace",
        "tracker",
        "--out",
        "ns/t.rplc",
        "--",
        process.execPath,
        "--import",
        TSX,
        TICKETS_SERVER,
      ],
      dir,
    );
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, "ns/t.rplc"), "utf8")).toContain(
      'action mcp.tracker.create_ticket from "./schemas/mcp.tracker.create_ticket.json"',
    );
  });

  it("the filesystem server's tools are all standard actions: nothing to declare, the mapping listed", () => {
    const ws = tempDir("rp-mcp-schemas-fs-");
    const r = rplc(["mcp-schemas", "--out", "fs-tools.rplc", "--", process.execPath, FS_SERVER, ws], ws);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(ws, "fs-tools.rplc"), "utf8");
    expect(text).toContain("# No tool needs an action of its own.");
    for (const line of [
      "write_file                → fs.write",
      "move_file                 → fs.move",
      "read_multiple_files       → fs.read",
    ]) {
      expect(text).toContain(`#   ${line}\n`);
    }
    expect(text).not.toMatch(/^action /m);
    // With a pack that declares the fs actions, rules over them check.
    writeFileSync(
      path.join(ws, "rules.rplc"),
      'include "stdlib/files"\n\non fs.move {\n  require approval moves reason "moves: " + args.source\n}\n',
    );
    const check = rplc(["check", "."], ws);
    expect(check.stdout).toBe("no problems in 2 files\n");
  });

  it("two tools that become one action name: the first is declared, the second reported", () => {
    const files = mcpToolDeclarations({ name: "s", version: "1" }, [
      { name: "close-ticket", inputSchema: { type: "object" } },
      { name: "close_ticket", inputSchema: { type: "object" } },
    ]);
    expect(files.declared).toEqual([{ tool: "close-ticket", action: "tool.close_ticket" }]);
    expect(files.problems).toEqual([
      "tools `close-ticket` and `close_ticket` are both decided as tool.close_ticket: only the first is declared",
    ]);
  });
});
