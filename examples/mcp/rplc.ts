/**
 * The `rplc` command from this source tree (what `npx rplc` runs once the package is built), so the
 * example runs without a build. In your project, run `npx rplc …` instead.
 */
import { run } from "../../src/cli/main.js";

process.exitCode = await run(process.argv.slice(2));
