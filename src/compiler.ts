// The compiler entry point (`runplane/compiler`): parse, check, format, compile. It imports
// Chevrotain; agents that only load compiled policies import `runplane` instead.

export { type CheckEntry, type CheckOptions, checkPolicySet } from "./check/check.js";
export type { CheckedPolicySet } from "./check/program.js";
export { type Compiled, compile } from "./compile/compile.js";
export { type Diagnostic, hasErrors, type Result, type Severity } from "./diagnostics/diagnostic.js";
export { renderHuman, renderJson } from "./diagnostics/render.js";
export { renderSarif } from "./diagnostics/render-sarif.js";
export { SourceFile } from "./diagnostics/source.js";
export type { Span } from "./diagnostics/span.js";
export { createInterpreter, type Interpreter } from "./engine/interpret.js";
export { initNatives } from "./natives/init.js";
export { parse, parseExpression } from "./syntax/parse.js";
export { format, printExpr, printType } from "./syntax/print.js";
