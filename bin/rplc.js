#!/usr/bin/env node
// The `rplc` command. The build (`npm install` runs it through `prepare`) writes dist/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    "rplc: the build is missing (dist/cli/main.js): run `npm install` or `npm run build` first\n",
  );
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
