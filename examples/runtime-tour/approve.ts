/**
 * `rplc approvals …` for the tour's `--auto-approve-after`: the same command definition the
 * `rplc` program uses (src/cli/commands/approvals.ts), run in its own process the way a human's
 * second terminal would run it.
 *
 *   npx tsx examples/runtime-tour/approve.ts approve <id> --store sqlite:.runplane/runplane.db --by alice --role dba
 */
import { Command } from "commander";
import { addApprovalsCommand } from "../../src/cli/commands/approvals.js";
import { processIo } from "../../src/cli/io.js";

const program = new Command("rplc").exitOverride();
let code = 0;
addApprovalsCommand(
  program,
  processIo(),
  (c) => {
    code = c;
  },
  (cmd) => {
    cmd.exitOverride();
  },
);
try {
  await program.parseAsync(["approvals", ...process.argv.slice(2)], { from: "user" });
} catch {
  code = 2; // commander printed the usage problem
}
process.exitCode = code;
