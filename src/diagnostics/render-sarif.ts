/**
 * Diagnostics → SARIF 2.1.0 (OASIS), the format code-scanning services read (GitHub, GitLab,
 * Azure DevOps). One run, one rule per code used, one result per diagnostic.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { codes } from "./codes.js";
import type { Diagnostic, Severity } from "./diagnostic.js";
import { locate, type SourceMap } from "./render.js";
import type { Span } from "./span.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const RPLC_INFORMATION_URI = "https://www.npmjs.com/package/runplane";
/** The base that relative artifact URIs are resolved against: the directory `rplc` ran in. */
export const SRCROOT = "%SRCROOT%";

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
    readonly region: SarifRegion;
  };
  readonly message?: { readonly text: string };
}

export interface SarifRule {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly defaultConfiguration: { readonly level: Severity };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: Severity;
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
}

export interface SarifLog {
  readonly version: "2.1.0";
  readonly $schema: string;
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: "rplc";
          readonly version: string;
          readonly informationUri: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly columnKind: "utf16CodeUnits";
      readonly originalUriBaseIds?: Readonly<Record<string, { readonly uri: string }>>;
      readonly results: readonly SarifResult[];
    },
  ];
}

export interface SarifOptions {
  /** The directory relative paths are relative to; recorded as `%SRCROOT%` when given. */
  readonly cwd?: string;
}

/** Build the SARIF log (as data). */
export function toSarif(
  diags: readonly Diagnostic[],
  sources: SourceMap,
  toolVersion: string,
  options: SarifOptions = {},
): SarifLog {
  const ruleIds = [...new Set(diags.map((d) => d.code))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id): SarifRule => {
    const entry = codes[id];
    return {
      id,
      shortDescription: { text: entry.title },
      fullDescription: { text: entry.explain },
      defaultConfiguration: { level: entry.severity },
    };
  });
  const results = diags.map((d): SarifResult => {
    const result: { -readonly [K in keyof SarifResult]: SarifResult[K] } = {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? -1,
      level: d.severity,
      message: { text: d.message },
      locations: d.span ? [sarifLocation(d.span, sources)] : [],
    };
    const related = uniqueBy(
      (d.related ?? []).map((r) => sarifLocation(r.span, sources, r.message)),
      (l) => JSON.stringify(l),
    );
    if (related.length > 0) result.relatedLocations = related;
    return result;
  });
  const run: SarifLog["runs"][0] = {
    tool: {
      driver: { name: "rplc", version: toolVersion, informationUri: RPLC_INFORMATION_URI, rules },
    },
    columnKind: "utf16CodeUnits",
    ...(options.cwd !== undefined
      ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } } }
      : {}),
    results,
  };
  return { version: "2.1.0", $schema: SARIF_SCHEMA, runs: [run] };
}

/** The SARIF log as one JSON document (pretty-printed, ending with a newline). */
export function renderSarif(
  diags: readonly Diagnostic[],
  sources: SourceMap,
  toolVersion: string,
  options: SarifOptions = {},
): string {
  return `${JSON.stringify(toSarif(diags, sources, toolVersion, options), null, 2)}\n`;
}

function sarifLocation(span: Span, sources: SourceMap, message?: string): SarifLocation {
  const loc = locate(span, sources);
  const physicalLocation = {
    artifactLocation: artifactLocation(loc.file),
    region: {
      startLine: loc.start.line,
      startColumn: loc.start.column,
      endLine: loc.end.line,
      endColumn: loc.end.column,
    },
  };
  return message === undefined ? { physicalLocation } : { physicalLocation, message: { text: message } };
}

/**
 * A display path (`/`-separated, relative to the working directory when below it) → a URI:
 * relative paths stay relative to `%SRCROOT%`, absolute ones become `file:` URIs.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
