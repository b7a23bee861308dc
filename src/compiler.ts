// The compiler entry point (`runplane/compiler`): parse, check, format, compile.
export type { Diagnostic, Result, Severity } from "./diagnostics/diagnostic.js";
export { SourceFile } from "./diagnostics/source.js";
export type { Span } from "./diagnostics/span.js";
