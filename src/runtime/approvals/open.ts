/**
 * The `store` option → an approval store: `"sqlite:PATH"` (the embedded default, shared between
 * processes), `"memory"` (this process only), or any object implementing ApprovalStore.
 * Failures are RunplaneErrors with part "store".
 */
import path from "node:path";
import { messageOf, RunplaneError } from "../errors.js";
import { MemoryApprovalStore } from "./memory.js";
import { SqliteApprovalStore } from "./sqlite.js";
import type { ApprovalStore } from "./store.js";

export type StoreSpec = string | ApprovalStore;

export const DEFAULT_STORE = "sqlite:.runplane/runplane.db";

export async function openStore(
  spec: StoreSpec,
  cwd: string,
  options: { create?: boolean } = {},
): Promise<ApprovalStore> {
  if (typeof spec !== "string") return spec;
  if (spec === "memory") return new MemoryApprovalStore();
  if (spec.startsWith("sqlite:")) {
    const file = spec.slice("sqlite:".length);
    if (file === "")
      throw new RunplaneError("store", "`sqlite:` needs a file path (`sqlite:.runplane/runplane.db`)");
    try {
      return await SqliteApprovalStore.open(file === ":memory:" ? file : path.resolve(cwd, file), options);
    } catch (e) {
      throw new RunplaneError("store", `cannot open the approval store ${spec}: ${messageOf(e)}`, {
        cause: e,
      });
    }
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    throw new RunplaneError(
      "store",
      "PostgreSQL approval stores are not available yet: use `sqlite:PATH` (one host) or pass a store object",
    );
  }
  throw new RunplaneError("store", `unknown store \`${spec}\`: use \`sqlite:PATH\` or \`memory\``);
}
