import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { codes } from "../../../src/diagnostics/codes.js";
import { diag } from "../../../src/diagnostics/diagnostic.js";
import {
  artifactLocation,
  RPLC_INFORMATION_URI,
  renderSarif,
  SARIF_SCHEMA,
  toSarif,
} from "../../../src/diagnostics/render-sarif.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { span } from "../../../src/diagnostics/span.js";

// ajv-formats is CommonJS: under NodeNext typing the default import is the module, `.default` the function.
const addFormats = addFormatsModule.default;

const schema = JSON.parse(
  readFileSync(new URL("./sarif-2.1.0-subset.schema.json", import.meta.url), "utf8"),
) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const FILE = "policies/db.rplc";
const TEXT = 'policy "acme/db"\non db.query {\n  block x\n    wen true\n}\n';
const src = new SourceFile(FILE, TEXT);
const sources = new Map([[FILE, src]]);
const at = (needle: string) => {
  const i = TEXT.indexOf(needle);
  return span(FILE, i, i + needle.length);
};

const typo = diag("RPL1003", at("wen"), ["`when`", "`wen`"], {
  help: "did you mean `when`?",
  related: [{ span: at("block x"), message: "rule starts here" }],
});
const unterminated = diag("RPL1002", at("x\n    wen"));
const again = diag("RPL1003", at("true"), ["`}`", "`true`"]);
const missing = diag("RPL5002", undefined, ["20000000", "16777216"]);

describe("renderSarif", () => {
  const text = renderSarif([typo, unterminated, again, missing], sources, "1.2.3", { cwd: "/work/repo" });
  const log = JSON.parse(text);

  it("is valid against the SARIF 2.1.0 schema (the part rplc emits)", () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema check is not vacuous: it rejects an unknown key and a bad level", () => {
    const bad = structuredClone(log);
    bad.runs[0].results[0].severity = "error";
    expect(validate(bad)).toBe(false);
    const bad2 = structuredClone(log);
    bad2.runs[0].results[0].level = "fatal";
    expect(validate(bad2)).toBe(false);
    const bad3 = structuredClone(log);
    bad3.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(bad3)).toBe(false);
  });

  it("has the log header and the driver", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe("rplc");
    expect(driver.version).toBe("1.2.3");
    expect(driver.informationUri).toBe(RPLC_INFORMATION_URI);
    expect(log.runs[0].columnKind).toBe("utf16CodeUnits");
    expect(log.runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/repo/" } });
  });

  it("lists one rule per code used, sorted, from the catalogue", () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(["RPL1002", "RPL1003", "RPL5002"]);
    expect(rules[1]).toEqual({
      id: "RPL1003",
      shortDescription: { text: codes.RPL1003.title },
      fullDescription: { text: codes.RPL1003.explain },
      defaultConfiguration: { level: "error" },
    });
  });

  it("gives each result its rule, level, message and region", () => {
    const results = log.runs[0].results;
    expect(results).toHaveLength(4);
    const [first, second, third, fourth] = results;
    expect(first).toMatchObject({
      ruleId: "RPL1003",
      ruleIndex: 1,
      level: "error",
      message: { text: "expected `when`, found `wen`" },
    });
    expect(first.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "policies/db.rplc", uriBaseId: "%SRCROOT%" },
          region: { startLine: 4, startColumn: 5, endLine: 4, endColumn: 8 },
        },
      },
    ]);
    expect(first.relatedLocations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "policies/db.rplc", uriBaseId: "%SRCROOT%" },
          region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 10 },
        },
        message: { text: "rule starts here" },
      },
    ]);
    expect(second.ruleIndex).toBe(0);
    expect(second.locations[0].physicalLocation.region).toEqual({
      startLine: 3,
      startColumn: 9,
      endLine: 4,
      endColumn: 8,
    });
    expect(third.ruleIndex).toBe(1);
    expect(third.relatedLocations).toBeUndefined();
    expect(fourth).toEqual({
      ruleId: "RPL5002",
      ruleIndex: 2,
      level: "error",
      message: { text: "file is 20000000 bytes, more than the limit of 16777216" },
      locations: [],
    });
  });

  it("uses the warning level for warnings", () => {
    const warn = { ...typo, severity: "warning" as const };
    const only = toSarif([warn], sources, "1.0.0");
    expect(only.runs[0].results[0]?.level).toBe("warning");
    expect(only.runs[0].originalUriBaseIds).toBeUndefined();
    expect(validate(JSON.parse(JSON.stringify(only)))).toBe(true);
  });

  it("is a valid log with no results", () => {
    const empty = JSON.parse(renderSarif([], new Map(), "1.0.0"));
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toEqual([]);
    expect(validate(empty)).toBe(true);
  });
});

describe("artifactLocation", () => {
  it("percent-encodes relative paths and keeps them relative to %SRCROOT%", () => {
    expect(artifactLocation("my policies/a#1.rplc")).toEqual({
      uri: "my%20policies/a%231.rplc",
      uriBaseId: "%SRCROOT%",
    });
  });

  it("turns absolute paths into file URIs", () => {
    expect(artifactLocation("/tmp/x y/a.rplc")).toEqual({ uri: "file:///tmp/x%20y/a.rplc" });
  });
});
