/** The `rplc` command: dispatch and exit codes. Returns the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  process.stderr.write(`rplc: no commands yet (${argv.join(" ")})\n`);
  return 2;
}
