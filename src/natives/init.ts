/**
 * Asynchronous set-up of the natives. Only the shell parser needs it (tree-sitter loads its
 * grammar as WebAssembly); everything else is ready on import. Hosts await `initNatives()` once
 * before the first decision: the library's `createRunplane`, the CLI, and emitted modules.
 */
import { initShell, shellReady } from "./shell.js";

/** Load what the natives need; idempotent, and concurrent calls share one load. */
export function initNatives(): Promise<void> {
  return initShell();
}

/** Whether `initNatives()` has finished (shell natives throw an INVARIANT error before that). */
export function nativesReady(): boolean {
  return shellReady();
}

/**
 * Whether the native `name` needs `initNatives()` before it runs. Emitted modules await the
 * runtime's `ready` only when they call one, so loading a policy without `shell.*` never loads
 * tree-sitter.
 */
export function needsInit(name: string): boolean {
  return name.startsWith("shell.");
}
