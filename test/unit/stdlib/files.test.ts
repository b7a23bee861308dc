/** stdlib/files: credential stores, agent and CI configuration, the workspace, temporary space. */
import { beforeAll, expect, describe as group, it } from "vitest";
import { describe, type Engines, engines, packPath, rulesOf, userPolicy } from "./pack-harness.js";

let plain: Engines;
let ws: Engines;
beforeAll(async () => {
  plain = await engines({ files: [packPath("files")] });
  ws = await engines(
    userPolicy(
      'include "stdlib/files" with { workspace: "/home/agent/app", protected_files: ["Makefile", "deploy"], secret_files: ["/srv/vault", "config/master.key"] }',
    ),
  );
});

function both(e: Engines, action: string, args: Record<string, unknown>) {
  const request = { action, args };
  const d = e.interpret(request);
  expect(e.compiled(request)).toEqual(d);
  return d;
}

const SECRETS = [
  "~/.ssh/id_rsa",
  "/home/alice/.ssh/id_ed25519",
  "/root/.ssh/deploy.pem",
  "~/.gnupg/private-keys-v1.d/ABC.key",
  "~/.aws/credentials",
  "/Users/bob/.config/gcloud/application_default_credentials.json",
  "~/.kube/config",
  "~/.docker/config.json",
  "~/.netrc",
  "~/.git-credentials",
  "/home/alice/.mozilla/firefox/abc.default/logins.json",
  "~/Library/Application Support/Google/Chrome/Default/Login Data",
  "~/.config/google-chrome/Default/Cookies",
  "~/.bitcoin/wallet.dat",
  "~/.ethereum/keystore/UTC--2024",
  ".env",
  "app/.env.production",
  "/etc/shadow",
  "certs/server.p12",
];

const ORDINARY = [
  "src/main.py",
  "README.md",
  ".env.example",
  "~/.ssh/id_rsa.pub",
  "~/.ssh/known_hosts",
  "docs/environment.md",
  "/etc/hosts",
  "package.json",
];

group("stdlib/files", () => {
  it.each(SECRETS)("blocks reading %s", (path) => {
    const d = both(plain, "fs.read", { path });
    expect(d.decision, describe(d)).toBe("BLOCK");
    expect(rulesOf(d)).toEqual(["files_read_secret"]);
  });

  it.each(ORDINARY)("allows reading %s", (path) => {
    const d = both(plain, "fs.read", { path });
    expect(d.decision, describe(d)).toBe("ALLOW");
  });

  it("blocks writing, deleting and moving credential files", () => {
    expect(rulesOf(both(plain, "fs.write", { path: "~/.aws/credentials", content: "[x]" }))).toContain(
      "files_change_secret",
    );
    expect(both(plain, "fs.delete", { path: "/home/alice/.ssh/id_rsa" }).decision).toBe("BLOCK");
    expect(rulesOf(both(plain, "fs.move", { source: "notes.txt", destination: ".env" }))).toContain(
      "files_move_secret",
    );
  });

  it("asks before listing credential stores, not ordinary directories", () => {
    for (const path of ["~/.ssh", "/home/alice/.aws", "~/.gnupg", "~/.config/gcloud"]) {
      expect(rulesOf(both(plain, "fs.list", { path })), path).toEqual(["files_list_secrets"]);
    }
    for (const path of ["src", "/home/alice/app", "~/.config"]) {
      expect(both(plain, "fs.list", { path }).decision, path).toBe("ALLOW");
    }
  });

  it("asks before changing what CI, git, editors and other agents act on", () => {
    for (const path of [
      ".github/workflows/release.yml",
      "/home/agent/app/.gitlab-ci.yml",
      "AGENTS.md",
      "sub/dir/CLAUDE.md",
      ".cursorrules",
      ".claude/settings.json",
      ".vscode/tasks.json",
      ".git/hooks/pre-push",
      ".pre-commit-config.yaml",
      "policies/db.rplc",
    ]) {
      const d = both(plain, "fs.write", { path, content: "x" });
      expect(d.decision, path).toBe("REQUIRE_APPROVAL");
      expect(rulesOf(d), path).toContain("files_agent_config_change");
    }
    expect(both(plain, "fs.write", { path: "src/ci.ts", content: "x" }).decision).toBe("ALLOW");
  });

  it("protects the extra files and secrets its params name", () => {
    expect(rulesOf(both(ws, "fs.edit", { path: "/home/agent/app/Makefile", edits: [] }))).toEqual([
      "files_agent_config_change",
    ]);
    expect(rulesOf(both(ws, "fs.write", { path: "deploy/prod.yml", content: "" }))).toEqual([
      "files_agent_config_change",
    ]);
    expect(rulesOf(both(ws, "fs.read", { path: "/srv/vault/token" }))).toEqual(["files_read_secret"]);
    expect(rulesOf(both(ws, "fs.read", { path: "/home/agent/app/config/master.key" }))).toEqual([
      "files_read_secret",
    ]);
    expect(both(ws, "fs.read", { path: "/srv/vaulted/readme" }).decision).toBe("ALLOW");
  });

  it("judges the workspace by the param, else by cwd, else only escapes", () => {
    const outside = { path: "/home/agent/other/x.txt", content: "x" };
    expect(rulesOf(both(ws, "fs.write", outside))).toEqual(["files_outside_workspace"]);
    expect(
      both(ws, "fs.write", { path: "src/x.ts", content: "x", cwd: "/home/agent/app/pkg" }).decision,
    ).toBe("ALLOW");
    expect(
      rulesOf(both(ws, "fs.write", { path: "../../x", content: "x", cwd: "/home/agent/app/pkg" })),
    ).toEqual(["files_outside_workspace"]);
    // No workspace param: the request's cwd stands in.
    expect(rulesOf(both(plain, "fs.write", { ...outside, cwd: "/home/agent/app" }))).toEqual([
      "files_outside_workspace",
    ]);
    // Neither: absolute paths are not judged; `..` and `~` are.
    expect(both(plain, "fs.write", outside).decision).toBe("ALLOW");
    expect(rulesOf(both(plain, "fs.mkdir", { path: "~/bin" }))).toEqual(["files_outside_workspace"]);
    expect(rulesOf(both(plain, "fs.write", { path: "a/../../x", content: "" }))).toEqual([
      "files_outside_workspace",
    ]);
  });

  it("deletes freely in temporary space and single workspace files, asks otherwise", () => {
    expect(both(ws, "fs.delete", { path: "/tmp/build", recursive: true }).decision).toBe("ALLOW");
    expect(both(ws, "fs.delete", { path: "/tmp/../home/agent/x" }).decision).toBe("REQUIRE_APPROVAL");
    expect(both(ws, "fs.delete", { path: "src/old.ts" }).decision).toBe("ALLOW");
    expect(rulesOf(both(ws, "fs.delete", { path: "src", recursive: true }))).toEqual([
      "files_delete_outside_temp",
    ]);
    expect(rulesOf(both(ws, "fs.delete", { path: "/home/agent/notes.txt" }))).toEqual([
      "files_delete_outside_temp",
    ]);
  });

  it("blocks system files and scores secrets written into files", () => {
    expect(rulesOf(both(plain, "fs.write", { path: "/etc/hosts", content: "" }))).toEqual([
      "files_system_write",
    ]);
    expect(rulesOf(both(plain, "fs.move", { source: "x", destination: "/usr/bin/x" }))).toContain(
      "files_move_system",
    );
    const d = both(plain, "fs.write", {
      path: "src/config.ts",
      content: 'const key = "AKIAIOSFODNN7EXAMPLE";',
    });
    expect(d.decision).toBe("ALLOW");
    expect(d.risks).toEqual([{ name: "files_secret_in_content", weight: 30 }]);
    const e = both(plain, "fs.edit", {
      path: "src/config.ts",
      edits: [{ old_text: "x", new_text: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }],
    });
    expect(e.risks).toEqual([{ name: "files_secret_in_edit", weight: 30 }]);
  });
});
