/**
 * The `rplc` command: argument parsing (commander), dispatch to commands/, exit codes.
 * `run` never exits the process and never throws for a user mistake: it returns the exit code.
 *
 * Exit codes: 0 success, 1 problems found (errors in the policy set, files that `fmt --check` would
 * change), 2 usage error or unreadable path, 70 internal error (a bug in rplc).
 */
import { Command, CommanderError, Option } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { FORMATS, type Format, REPORTERS, type Reporter } from "./choices.js";
import { addApprovalsCommand } from "./commands/approvals.js";
import { addAuditCommand } from "./commands/audit.js";
import { addHookCommand } from "./commands/hook.js";
import { addMcpCommands } from "./commands/mcp.js";
import { type CliIo, processIo, usageError } from "./io.js";
import { collectList } from "./options.js";

export const VERSION: string = pkg.version;

/** What commander reported when parsing failed, and for which (sub)command. */
interface ParseFailure {
  command: string | undefined;
}

export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const failure: ParseFailure = { command: undefined };
  let exitCode = 0;
  const program = buildProgram(io, failure, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e, failure, io);
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`rplc: internal error: ${message} (please report this as a bug)\n`);
    if (process.env.RPLC_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return 70;
  }
}

function buildProgram(io: CliIo, failure: ParseFailure, done: (code: number) => void): Command {
  const program = new Command("rplc");
  configure(program, io, failure, undefined);
  program
    .description("Compile and check Runplane policies (.rplc): guards for AI agent actions.")
    .version(VERSION, "-v, --version", "print the version of rplc")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .addHelpText(
      "after",
      `
Examples:
  $ rplc check policies/
  $ rplc check policies/ --format sarif > rplc.sarif
  $ rplc fmt --check policies/

Exit codes: 0 ok, 1 problems found, 2 usage error or unreadable path.`,
    );

  const check = program
    .command("check")
    .description("parse and type-check policy files and report problems")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("human"))
    .option("--no-warnings", "leave warnings out of the output")
    .option("--disable <codes>", "leave out these warning codes (comma-separated, repeatable)", collectList)
    .addHelpText(
      "after",
      `
Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage error or unreadable path.

Examples:
  $ rplc check policies/
  $ rplc check policies/db.rplc --format json
  $ rplc check . --format sarif --no-warnings > rplc.sarif`,
    )
    .action(async (paths: string[], opts: { format: Format; warnings: boolean; disable?: string[] }) => {
      const options = { format: opts.format, warnings: opts.warnings, disable: opts.disable ?? [] };
      done(
        await (await import("./commands/check.js")).checkCommand(paths, { ...options, version: VERSION }, io),
      );
    });
  configure(check, io, failure, "check");

  const fmt = program
    .command("fmt")
    .description("format policy files in the one canonical layout (comments kept)")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .option("--check", "change nothing; exit 1 when a file is not formatted")
    .addHelpText(
      "after",
      `
Exit codes: 0 done (or, with --check, every file formatted), 1 a file would change (--check),
2 usage error or unreadable path.

Examples:
  $ rplc fmt policies/
  $ rplc fmt --check policies/`,
    )
    .action(async (paths: string[], opts: { check?: boolean }) => {
      done(await (await import("./commands/fmt.js")).fmtCommand(paths, { check: opts.check === true }, io));
    });
  configure(fmt, io, failure, "fmt");

  const types = program
    .command("types")
    .description("write TypeScript types for every declared action's args and for the context")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .requiredOption("-o, --out <file>", "the .ts file to write")
    .addHelpText(
      "after",
      `
Writes one interface per action (DbQueryArgs for db.query), RunplaneContext, and a RunplaneRequest
union keyed by action name, so agent code that builds requests is type-checked too.

Exit codes: 0 written, 1 errors in the policy set (nothing written), 2 usage error or unreadable path.

Examples:
  $ rplc types policies/ -o src/runplane-types.ts`,
    )
    .action(async (paths: string[], opts: { out: string }) => {
      done(await (await import("./commands/types.js")).typesCommand(paths, { out: opts.out }, io));
    });
  configure(types, io, failure, "types");

  const evalCmd = program
    .command("eval")
    .description("decide one request and print the decision as JSON")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .requiredOption("-r, --request <file>", "the request as JSON (a file, or - for standard input)")
    .option("--explain", "also print a human-readable account of the decision on standard error")
    .option("--interpret", "decide with the reference interpreter instead of the compiled module")
    .addHelpText(
      "after",
      `
Exit codes: 0 decided (whatever the decision), 1 the policy set does not compile, 2 usage error.

Examples:
  $ rplc eval policies/ --request request.json
  $ echo '{"action":"db.query","args":{"sql":"DELETE FROM users"}}' | rplc eval policies/ --request - --explain`,
    )
    .action(async (paths: string[], opts: { request: string; explain?: boolean; interpret?: boolean }) => {
      const options = {
        request: opts.request,
        explain: opts.explain === true,
        interpret: opts.interpret === true,
      };
      done(await (await import("./commands/eval.js")).evalCommand(paths, options, io));
    });
  configure(evalCmd, io, failure, "eval");

  const build = program
    .command("build")
    .description("compile the policy set into one self-contained ES module")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .option("-o, --out <file>", "the module file to write")
    .addOption(
      new Option("--dump <stage>", "print one stage instead of writing").choices(["ast", "ir", "js"]),
    )
    .addHelpText(
      "after",
      `
Tests inside policies are left out of the module. Load it with loadPolicy() from the runplane package.

Exit codes: 0 written, 1 errors in the policy set (nothing written), 2 usage error.

Examples:
  $ rplc build policies/ -o dist/policy.js
  $ rplc build policies/ --dump ir`,
    )
    .action(async (paths: string[], opts: { out?: string; dump?: string }) => {
      if (opts.out === undefined && opts.dump === undefined) {
        done(usageError(io, "no output file given: use -o FILE (or --dump ast|ir|js)", "build"));
        return;
      }
      const options =
        opts.dump === undefined ? { out: opts.out ?? "" } : { out: opts.out ?? "", dump: opts.dump };
      done(await (await import("./commands/build.js")).buildCommand(paths, options, io));
    });
  configure(build, io, failure, "build");

  const testCmd = program
    .command("test")
    .description("run the tests and properties inside policy files (and replay recorded requests)")
    .argument("<paths...>", "files and directories (a directory means every .rplc file below it)")
    .option("--filter <name>", "only tests and properties whose name contains this (case-insensitive)")
    .addOption(new Option("--reporter <reporter>", "output format").choices([...REPORTERS]).default("human"))
    .option("--seed <n>", "the seed properties run with (default: a random one, printed)")
    .option("--runs <n>", "runs of every property, overriding their `runs N`")
    .option("--coverage", "list the rules and risks that no test, property or request matched")
    .option("--min-coverage <percent>", "exit 1 when fewer rules and risks matched (implies --coverage)")
    .option(
      "--requests <file>",
      "replay a JSON Lines file of { request, expected }; exit 1 when a decision changed",
    )
    .option("--compiled", "decide with the compiled module instead of the reference interpreter")
    .option("--pack-tests", "also run the tests and properties of the included standard packs (stdlib/…)")
    .addHelpText(
      "after",
      `
Exit codes: 0 every test, property and replayed request passed, 1 something failed (or the policy set
has errors, --min-coverage was not reached, --filter matched nothing), 2 usage error.

Examples:
  $ rplc test policies/
  $ rplc test policies/ --seed 42 --coverage --min-coverage 80
  $ rplc test policies/ --reporter junit > rplc-tests.xml
  $ rplc test policies/ --requests recorded.jsonl`,
    )
    .action(
      async (
        paths: string[],
        opts: {
          filter?: string;
          reporter: Reporter;
          seed?: string;
          runs?: string;
          coverage?: boolean;
          minCoverage?: string;
          requests?: string;
          compiled?: boolean;
          packTests?: boolean;
        },
      ) => {
        const options = {
          reporter: opts.reporter,
          filter: opts.filter,
          seed: opts.seed,
          runs: opts.runs,
          coverage: opts.coverage === true,
          minCoverage: opts.minCoverage,
          requests: opts.requests,
          compiled: opts.compiled === true,
          packTests: opts.packTests === true,
        };
        done(await (await import("./commands/test.js")).testCommand(paths, options, io));
      },
    );
  configure(testCmd, io, failure, "test");

  const configureNamed = (cmd: Command, name: string) => configure(cmd, io, failure, name);
  addApprovalsCommand(program, io, done, configureNamed);
  addAuditCommand(program, io, done, configureNamed);
  addMcpCommands(program, io, done, configureNamed);
  addHookCommand(program, io, done, configureNamed);

  return program;
}

/** Route commander's output through `io`, never let it exit, and note which command failed. */
function configure(cmd: Command, io: CliIo, failure: ParseFailure, name: string | undefined): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout(s),
    writeErr: (s) => io.stderr(s),
    // Errors are reported by `commanderExit` as one line; commander's own text is not printed.
    outputError: () => {
      failure.command = name;
    },
    getOutHelpWidth: () => 100,
    getErrHelpWidth: () => 100,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  });
}

function commanderExit(e: CommanderError, failure: ParseFailure, io: CliIo): number {
  switch (e.code) {
    case "commander.helpDisplayed":
    case "commander.version":
      return 0;
    case "commander.help":
      // `rplc help` (exit code 0), or `rplc` alone: the help went to standard error.
      return e.exitCode === 0 ? 0 : 2;
    case "commander.missingArgument":
      // `rplc check` alone: say it plainly; other arguments (`rplc audit verify`) keep commander's words.
      return usageError(
        io,
        e.message.includes("'paths'") ? "no paths given" : oneLine(e.message),
        failure.command,
      );
    default:
      return usageError(io, oneLine(e.message), failure.command);
  }
}

/**
 * Commander's message → one lowercase line: `error: unknown option '--fromat'\n(Did you mean
 * --format?)` becomes `unknown option '--fromat', did you mean --format?`.
 */
export function oneLine(message: string): string {
  const [first = "", ...rest] = message.split("\n");
  let line = first.replace(/^error: /, "").replace(/\.$/, "");
  line = line.replace(/\. (\w)/g, (_, ch: string) => `: ${ch.toLowerCase()}`);
  const hint = rest.join(" ").trim();
  const m = /^\(Did you mean (.+)\?\)$/.exec(hint);
  if (m) line += `, did you mean ${m[1]}?`;
  return line;
}
