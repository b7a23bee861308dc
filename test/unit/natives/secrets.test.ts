import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { findSecrets, maskSecrets, secretFound, secretKinds } from "../../../src/natives/secrets.js";
import { entropy, secretRules } from "../../../src/natives/secrets-rules.js";
import { call, sig } from "./helpers.js";

// Fake credentials with the real shapes, assembled so that this file is not itself a finding.
const alnum = (n: number, seed = 7) =>
  Array.from({ length: n }, (_, i) => "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY"[(i * seed + 3) % 32]).join("");
const letters = (n: number) =>
  Array.from({ length: n }, (_, i) => "qWeRtYuIoPaSdFgHjKlZxCvBnM"[(i * 5 + 1) % 26]).join("");

const POSITIVES: [text: string, kind: string][] = [
  ["AKIAIOSFODNN7EXAMPLE", "aws_access_key_id"],
  ["export AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A", "aws_access_key_id"],
  ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"],
  [`"AWS_SECRET_ACCESS_KEY": "${alnum(40)}"`, "aws_secret_access_key"],
  [`git remote add origin https://${"gh"}p_${alnum(36)}@github.com/acme/app.git`, "github_token"],
  [`GITHUB_TOKEN=${"github"}_pat_${alnum(82)}`, "github_token"],
  [`https://${alnum(40)}:x-oauth-basic@github.com/acme/app`, "github_token"],
  [`CI_TOKEN: gl${"pat"}-${alnum(20)}`, "gitlab_token"],
  [`xo${"xb"}-2400000000-2400000000001-${alnum(24)}`, "slack_token"],
  [`https://hooks.slack.com/services/T0${alnum(8)}/B0${alnum(8)}/${alnum(24)}`, "slack_webhook"],
  [`OPENAI_API_KEY=sk-proj-${alnum(74)}T3BlbkFJ${alnum(74, 11)}`, "openai_api_key"],
  [`sk-${alnum(20)}T3BlbkFJ${alnum(20, 11)}`, "openai_api_key"],
  [`ANTHROPIC_API_KEY=sk-ant-api03-${alnum(93)}AA`, "anthropic_api_key"],
  [`gsk_${alnum(52)}`, "groq_api_key"],
  [`HF_TOKEN=hf_${letters(34)}`, "huggingface_token"],
  [`SG.${alnum(22)}.${alnum(43, 11)}`, "sendgrid_api_key"],
  [`shpat_${alnum(32)}`, "shopify_token"],
  [`hvs.${alnum(95)}`, "vault_token"],
  [`dckr_pat_${alnum(27)}`, "docker_token"],
  [`//registry.npmjs.org/:_authToken=npm_${alnum(36)}`, "npm_token"],
  [`dapi${"0123456789abcdef".repeat(2)}`, "databricks_token"],
  [`STRIPE_SECRET=sk_live_${alnum(24)}`, "stripe_key"],
  [`key=AIza${alnum(35)}`, "google_api_key"],
  ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "private_key"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA=\n", "private_key"],
  ["-----BEGIN PRIVATE KEY-----", "private_key"],
  ["-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF", "private_key"],
  ['{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n"}', "private_key"],
  [
    "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "jwt",
  ],
  ["postgres://admin:S3cr3tPass@db.internal:5432/app", "database_url"],
  ["mongodb+srv://app:hunter2xyz@cluster0.example.net/prod", "database_url"],
  ["redis://default:Zx9Kq2LmPw@cache.internal:6379", "database_url"],
  ["https://deploy:Zx9Kq2Lm@git.acme.com/repo.git", "basic_auth"],
  ["Authorization: Bearer abcDEF123456ghiJKL789mno", "authorization_header"],
  [`api_key = '${alnum(24)}'`, "generic_secret"],
  ['"client_secret": "f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4"', "generic_secret"],
  ["SERVICE_TOKEN=7d2f9a1c4b8e6f3a0d5c9b2e", "generic_secret"],
  ["DB_PASSWORD=Tr0ub4dor&3x", "password"],
  ['{"user": "ops", "password": "Winter2025!"}', "password"],
  ["please use password=hunter2hunter2 to log in", "password"],
  ["Hi Sam, the password is hunter2hunter2. Thanks!", "password"],
  ["the new passphrase was 'c0rrect-horse-battery'", "password"],
];

const BENIGN: string[] = [
  "commit 3f786850e387550fdab836ed7e6dc881de23001b",
  "3f786850e387550fdab836ed7e6dc881de23001b",
  "request_id: 123e4567-e89b-12d3-a456-426614174000",
  "SGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IG9mIGJhc2U2NCBlbmNvZGluZw==",
  "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "The AKIA prefix marks long-term AWS keys; AKIAFOO is not one.",
  "pip install scikit-learn && run task-list --sk-proj",
  "ghp_short and github_pat_tooShort",
  "password: string;",
  "password = os.environ['DB_PASSWORD']",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the template text itself is the input
  "password=${DB_PASSWORD}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the template text itself is the input
  "token: ${{ secrets.GITHUB_TOKEN }}",
  "api_key: <your-api-key>",
  "api_key=YOUR_API_KEY_HERE",
  "password: changeme",
  "password: xxxxxxxxxxxx",
  "const password = process.env.DB_PASSWORD;",
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
  "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----",
  "eyJhbGciOiJIUzI1NiJ9 is only a JWT header",
  "postgres://localhost:5432/app",
  "postgres://user:password@localhost/db",
  "https://user@github.com/acme/app.git",
  "tokenizer = AutoTokenizer.from_pretrained('bert-base-uncased')",
  "max_tokens: 4096",
  "token_count: 12345678901234567",
  "Please rotate the API key for staging tomorrow and update the secret store.",
  "version = 1.2.3-beta.4+build.5678",
  "IMG_20240101_123456.jpg",
  "SELECT * FROM users WHERE api_key_hash = $1",
  "key: value",
  "the password is required",
  "the password is changeme123",
  "Your password is 8 characters long.",
  "the password was reset yesterday by the admin",
  "the password is stored in config.database.password",
  "",
];

describe("secrets.found and secrets.kinds", () => {
  it.each(POSITIVES)("finds %j as %s", (text, kind) => {
    expect(call("secrets.found", text)).toBe(true);
    expect(call("secrets.kinds", text)).toContain(kind);
  });

  it.each(BENIGN.map((t) => [t]))("finds nothing in %j", (text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(call("secrets.found", text)).toBe(false);
    expect(call("secrets.kinds", text)).toEqual([]);
  });

  it("reports sorted, distinct kinds, specific ones instead of generic", () => {
    const text = [
      "AKIAIOSFODNN7EXAMPLE",
      `OPENAI_API_KEY=sk-${alnum(20)}T3BlbkFJ${alnum(20, 11)}`,
      "-----BEGIN EC PRIVATE KEY-----",
      "AKIAI44QH8DHBEXAMPLE",
    ].join("\n");
    expect(secretKinds(text)).toEqual(["aws_access_key_id", "openai_api_key", "private_key"]);
    expect(secretFound(text)).toBe(true);
  });

  it("finds a secret deep inside a large text", () => {
    const text = `${"lorem ipsum dolor sit amet ".repeat(2000)}token=ghp_${alnum(36)} ${"x".repeat(100)}`;
    expect(secretKinds(text)).toEqual(["github_token"]);
  });

  it("types", () => {
    expect(sig("secrets.found", T.string)).toEqual({ ok: true, result: T.bool });
    expect(sig("secrets.kinds", T.string)).toEqual({ ok: true, result: T.list(T.string) });
    expect(sig("secrets.kinds", T.number)).toEqual({
      ok: false,
      message: "expected `string`, found `number`",
      arg: 0,
    });
  });
});

describe("maskSecrets", () => {
  it("replaces each secret, keeping the text around it", () => {
    expect(maskSecrets("key id AKIAIOSFODNN7EXAMPLE in logs")).toBe(
      "key id [REDACTED:aws_access_key_id] in logs",
    );
    expect(maskSecrets("DB_PASSWORD=Tr0ub4dor&3x\nDEBUG=1")).toBe("DB_PASSWORD=[REDACTED:password]\nDEBUG=1");
    expect(maskSecrets("postgres://admin:S3cr3tPass@db:5432/app")).toBe(
      "postgres://admin:[REDACTED:database_url]@db:5432/app",
    );
    expect(maskSecrets("nothing here")).toBe("nothing here");
    // Prose: the value is masked, the full stop after it kept.
    expect(maskSecrets("Hi Sam, the password is hunter2hunter2. Thanks!")).toBe(
      "Hi Sam, the password is [REDACTED:password]. Thanks!",
    );
  });

  it("masks a whole PEM block, also one without an END line", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc+/=\n-----END RSA PRIVATE KEY-----";
    expect(maskSecrets(`before\n${pem}\nafter`)).toBe("before\n[REDACTED:private_key]\nafter");
    expect(maskSecrets("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n")).toBe("[REDACTED:private_key]");
  });

  it("leaves no finding behind in the positives corpus", () => {
    for (const [text] of POSITIVES) expect(findSecrets(maskSecrets(text))).toEqual([]);
  });
});

describe("the detectors", () => {
  it("are global, with indices, and name their source", () => {
    for (const rule of secretRules()) {
      expect(rule.pattern.flags).toContain("g");
      expect(rule.pattern.flags).toContain("d");
      expect(rule.source.length).toBeGreaterThan(0);
      expect(rule.kind).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it("never backtrack catastrophically", { timeout: 300_000 }, () => {
    // recheck's fuzzer (the automaton checker cannot read lookbehinds) has millisecond budgets, so
    // under load it may report a slow-looking pattern: a finding counts when its own attack string
    // really takes long.
    const slow: string[] = [];
    for (const rule of new Set(secretRules().map((r) => r.pattern))) {
      const flags = rule.flags.replace(/[dg]/g, "");
      const verdict = checkSync(rule.source, flags);
      if (verdict.status !== "vulnerable") continue;
      const re = new RegExp(rule.source, flags);
      const start = performance.now();
      re.exec(verdict.attack.string);
      const ms = performance.now() - start;
      if (ms > 100) slow.push(`${rule.source}: ${verdict.complexity.summary}, ${ms.toFixed(0)} ms`);
    }
    expect(slow).toEqual([]);
  });

  it("scan hostile text in linear time", () => {
    for (const unit of ["figd_", "npm_", "glpat-", "lin_api_", "sk-proj-", "a=", "eyJ", "xoxb-1-"]) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const start = performance.now();
      findSecrets(text);
      expect([unit, performance.now() - start < 5_000]).toEqual([unit, true]);
    }
  });

  it("measures entropy in bits per character", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("abcd")).toBe(2);
    expect(entropy(alnum(32))).toBeGreaterThan(4);
  });
});
