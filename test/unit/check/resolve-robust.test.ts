import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { resolve } from "../../../src/check/resolve.js";

const FRAGMENTS = [
  "action db.query { sql: string }\n",
  'action fs.write from "./nope.json"\n',
  "on db.query { let v = 1\n block b when v == 1 }\n",
  "on fs.* { allow a }\n",
  "block ",
  "risk r 10 when true\n",
  "settings { default: allow }\n",
  "context { env: string }\n",
  'include "./b.rplc" with { n: 1 } except [x]\n',
  'include "stdlib/zzz"\n',
  "param n: number = 1\n",
  "let x = 1\n",
  "{",
  "}",
  "when",
  ":",
  '"',
  "\n",
];

test.prop([fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }), fc.string({ maxLength: 20 })])(
  "resolve never throws, whatever the sources",
  (parts, noise) => {
    const text = parts.join("") + noise;
    const r = resolve(
      {
        sources: [
          { path: "a.rplc", text },
          { path: "b.rplc", text: parts.slice().reverse().join("") },
        ],
      },
      {
        cwd: "/virtual",
        readFile: () => {
          throw Object.assign(new Error("nope"), { code: "ENOENT" });
        },
      },
    );
    expect(r.value.files.length).toBe(2);
    for (const d of r.diagnostics) expect(d.message).not.toMatch(/``/);
  },
);
