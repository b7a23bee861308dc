/**
 * The secret detectors behind `secrets.*` and `maskSecrets`: synchronous regular expressions,
 * each bounded (no unbounded quantifier next to an overlapping one), so a scan is linear in the
 * text; a unit test runs recheck over every one of them.
 *
 * Most follow a rule of @secretlint/secretlint-rule-preset-recommend 12.0.0 (named on each entry;
 * secretlint itself is asynchronous and takes milliseconds, too slow for a decision). The rest are
 * ours, for what that preset misses: a bare AWS access key id (its rule is off by default), PEM
 * private keys without a long body (its rule wants 100+ base64 characters and the END line), JWTs,
 * Stripe and Google keys, `Authorization:` headers, and high-entropy values assigned to names such
 * as `api_key`, `token`, `password`.
 *
 * The documented AWS example keys (`AKIAIOSFODNN7EXAMPLE`) count as found: a guard cannot tell a
 * sample from a leak, and blocking a sample costs little.
 */

export interface SecretRule {
  /** The kind reported by `secrets.kinds`. */
  readonly kind: string;
  /** Global (`g`) and with indices (`d`). */
  readonly pattern: RegExp;
  /** The capture group holding the secret itself (masked); 0 for the whole match. */
  readonly group: number;
  /** Further check of a match (placeholders, entropy); absent: every match counts. */
  readonly accept?: (m: RegExpExecArray) => boolean;
  /** Where the rule comes from. */
  readonly source: string;
}

const SL = (rule: string) => `@secretlint/secretlint-rule-${rule}`;

/**
 * `prefix` then a run of `cls` whose length is within [min, max]: secretlint writes
 * `prefix[cls]{min,max}(?![cls])`, which backtracks polynomially over long runs; here the run is
 * taken whole (greedy, nothing after it) and its length checked afterwards, so a scan stays linear.
 */
function token(
  prefix: string,
  cls: string,
  min: number,
  max: number,
): Pick<SecretRule, "pattern" | "accept"> {
  return {
    pattern: new RegExp(`(?<!\\p{L})${prefix}${cls}{${min},}`, "dgu"),
    accept: (m) => m[0].length - prefix.replace(/\\/g, "").length <= max,
  };
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Template variables and placeholders (after secretlint-rule-basicauth's isVariableLikeString). */
const PLACEHOLDER =
  /\$\{|\{\{|\{[^}]{1,50}\}|%[A-Z_]{1,30}%|^\$|<[^>]{0,50}>|x{4,}|\*{3,}|\.{3}|changeme|example|placeholder|your[_-]|redacted|dummy|sample|secret_here|replace[_-]?(?:me|with)/i;
const DOTTED_IDENTIFIER = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const PLAIN_PASSWORDS = new Set([
  "password",
  "mypassword",
  "passw0rd",
  "p@ssw0rd",
  "secret",
  "localhost",
  "127.0.0.1",
]);

function realPassword(p: string): boolean {
  if (p.length < 4 || PLACEHOLDER.test(p) || PLAIN_PASSWORDS.has(p.toLowerCase())) return false;
  return !/^(.)\1{3,}$/.test(p);
}

const GENERIC_NAME =
  /(?:api[_-]?key|apikey|secret(?:[_-]?key)?|token|access[_-]?key|private[_-]?key|credentials?|session[_-]?key|auth)$/i;
const PASSWORD_NAME = /(?:password|passwd|passphrase|pwd|(?:^|[_.-])pass)$/i;

/** `name = value` / `"name": "value"` / `name: value`; group 1 the name, group 2 the value. */
const ASSIGNMENT =
  /(?<![\w.-])([A-Za-z][\w.-]{0,60})["']?[ \t]{0,5}(?:=>|:=|=|:)[ \t]{0,5}["']?([^\s"'`,;<>(){}[\]]{4,256})/dg;

let built: readonly SecretRule[] | undefined;

/**
 * The detectors, built on first use: building them (their patterns, several with Unicode property
 * classes) took ~1 ms of `import "runplane"`, which most policies never spend.
 */
export function secretRules(): readonly SecretRule[] {
  built ??= buildRules();
  return built;
}

function buildRules(): readonly SecretRule[] {
  return [
    {
      kind: "aws_access_key_id",
      pattern: /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/dg,
      group: 0,
      source: `${SL("aws")} (AWSAccessKeyID, enableIDScanRule)`,
    },
    {
      kind: "aws_secret_access_key",
      pattern:
        /(?:aws)?_?secret_?access_?key["']?[ \t]{0,20}(?::|=>|=)[ \t]{0,20}["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
      group: 1,
      source: `${SL("aws")} (AWSSecretAccessKey)`,
    },
    {
      kind: "github_token",
      pattern:
        /(?<![\p{L}\d_])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])|(?<![\p{L}\d_])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/dgu,
      group: 0,
      source: SL("github"),
    },
    {
      kind: "github_token",
      pattern: /https?:\/\/([^\s:/@]{1,256}):x-oauth-basic@github\.com\//dg,
      group: 1,
      source: `${SL("npm")} (x-oauth-basic)`,
    },
    { kind: "gitlab_token", ...token("glpat-", "[A-Za-z0-9_-]", 20, 128), group: 0, source: SL("gitlab") },
    {
      kind: "slack_token",
      pattern: /\b(?:xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-(?:\d-)?(?:[a-zA-Z0-9]{1,40}-){1,8}[a-zA-Z0-9]{1,40}\b/dg,
      group: 0,
      source: SL("slack"),
    },
    {
      kind: "slack_webhook",
      pattern:
        /https:\/\/hooks\.slack\.com\/services\/T[a-zA-Z0-9]{1,40}\/B[a-zA-Z0-9]{1,40}\/[a-zA-Z0-9]{1,40}/dgi,
      group: 0,
      source: `${SL("slack")} (IncomingWebhooks)`,
    },
    {
      // secretlint: sk-(proj|svcacct|admin)-(74|58 chars)T3BlbkFJ(74|58 chars), matched as one run.
      kind: "openai_api_key",
      pattern: /sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{124,})/dg,
      group: 0,
      accept: (m) => {
        const body = m[1] ?? "";
        return [58, 74].some(
          (a) => body.slice(a, a + 8) === "T3BlbkFJ" && [58, 74].includes(body.length - a - 8),
        );
      },
      source: SL("openai"),
    },
    {
      kind: "openai_api_key",
      pattern: /sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}/dg,
      group: 0,
      source: `${SL("openai")} (legacy keys)`,
    },
    {
      kind: "anthropic_api_key",
      pattern: /(?<!\p{L})sk-ant-(?:api|admin)0\d-[A-Za-z0-9_-]{90,128}AA(?![A-Za-z0-9_-])/dgu,
      group: 0,
      source: `${SL("anthropic")} (admin keys added)`,
    },
    {
      kind: "groq_api_key",
      pattern: /(?<!\p{L})gsk_[a-zA-Z0-9]{52}(?![a-zA-Z0-9])/dgu,
      group: 0,
      source: SL("groq"),
    },
    {
      kind: "huggingface_token",
      pattern: /(?<!\p{L})hf_[a-zA-Z]{34}(?![a-zA-Z])/dgu,
      group: 0,
      source: SL("huggingface"),
    },
    { kind: "linear_api_key", ...token("lin_api_", "[a-zA-Z0-9_]", 32, 128), group: 0, source: SL("linear") },
    {
      kind: "notion_token",
      pattern: /(?<!\p{L})ntn_[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9])/dgu,
      group: 0,
      source: SL("notion"),
    },
    {
      kind: "sendgrid_api_key",
      pattern: /(?<!\p{L})SG\.[\w-]{16,32}\.[\w-]{16,64}(?![\w-])/dgu,
      group: 0,
      source: `${SL("sendgrid")} (bounded lengths)`,
    },
    {
      kind: "shopify_token",
      pattern: /(?<!\p{L})(?:shppa|shpca|shpat|shpss)_[a-zA-Z0-9]{32,64}(?![a-zA-Z0-9])/dgu,
      group: 0,
      source: SL("shopify"),
    },
    {
      kind: "grafana_token",
      pattern:
        /(?<!\p{L})glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9+/=])|(?<!\p{L})glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Fa-f0-9])/dgu,
      group: 0,
      source: SL("grafana"),
    },
    {
      kind: "onepassword_token",
      pattern: /(?<!\p{L})ops_ey[A-Za-z0-9+/=]{100,1280}(?![A-Za-z0-9+/=])/dgu,
      group: 0,
      source: `${SL("1password")} (without the trailing fQ check)`,
    },
    {
      kind: "vault_token",
      pattern:
        /(?<!\p{L})(?:hvs\.[A-Za-z0-9_-]{90,120}|hvb\.[A-Za-z0-9_-]{138,300}|hvr\.[A-Za-z0-9_-]{90,120})(?![A-Za-z0-9_-])/dgu,
      group: 0,
      source: SL("hashicorp-vault"),
    },
    {
      kind: "vercel_token",
      pattern: /(?<!\p{L})(?:vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,60}(?![A-Za-z0-9])/dgu,
      group: 0,
      source: SL("vercel"),
    },
    {
      kind: "databricks_token",
      pattern: /(?<!\p{L})dapi[A-Fa-f0-9]{32}(?:-[0-9])?(?![A-Fa-f0-9])/dgu,
      group: 0,
      source: SL("databricks"),
    },
    {
      kind: "docker_token",
      pattern: /(?<!\p{L})dckr_pat_[a-zA-Z0-9_-]{27}(?![a-zA-Z0-9_-])/dgu,
      group: 0,
      source: SL("docker"),
    },
    { kind: "figma_token", ...token("figd_", "[A-Za-z0-9_-]", 40, 200), group: 0, source: SL("figma") },
    {
      kind: "npm_token",
      ...token("npm_", "[A-Za-z0-9_]", 36, 36),
      group: 0,
      source: `${SL("npm")} (NPM_ACCESS_TOKEN)`,
    },
    {
      kind: "npm_token",
      pattern: /_authToken=([^$[\s][^\s]{0,512})/dg,
      group: 1,
      source: `${SL("npm")} (npmrc _authToken)`,
    },
    {
      kind: "basic_auth",
      pattern:
        /(?:https?|ftps?):\/\/([-a-zA-Z0-9_]{1,256}):([-a-zA-Z0-9_]{1,256})@[-a-zA-Z0-9%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b/dg,
      group: 2,
      accept: (m) => (m[1] ?? "").length >= 2 && !PLACEHOLDER.test(m[1] ?? "") && realPassword(m[2] ?? ""),
      source: SL("basicauth"),
    },
    {
      kind: "database_url",
      pattern:
        /(?:mongodb(?:\+srv)?|(?:jdbc:)?mysqlx?|postgres(?:ql)?|redis|rediss|amqps?|mssql|sqlserver):\/\/([^:/\s@]{1,100}):([^@/\s]{1,200})@[^/\s?]{1,100}/dgi,
      group: 2,
      accept: (m) => realPassword(m[2] ?? ""),
      source: `${SL("database-connection-string")} (Redis, AMQP, SQL Server added)`,
    },
    {
      kind: "private_key",
      pattern: /-----BEGIN (?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d: /dg,
      group: 0,
      source: `ours (${SL("privatekey")} needs a 100+ character body and the END line)`,
    },
    {
      kind: "jwt",
      pattern:
        /(?<![\w-])eyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,1024}(?![\w-])/dg,
      group: 0,
      source: "ours",
    },
    {
      kind: "stripe_key",
      pattern: /(?<![\w-])(?:sk|rk)_(?:live|test)_[0-9a-zA-Z]{24,99}(?![0-9a-zA-Z])/dg,
      group: 0,
      source: "ours",
    },
    {
      kind: "google_api_key",
      pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/dg,
      group: 0,
      source: "ours",
    },
    {
      kind: "authorization_header",
      pattern:
        /\bauthorization["']?[ \t]{0,5}[:=][ \t]{0,5}["']?(?:bearer|basic|token)[ \t]{1,5}([A-Za-z0-9._~+/=-]{16,2048})/dgi,
      group: 1,
      accept: (m) => !PLACEHOLDER.test(m[1] ?? ""),
      source: "ours",
    },
    {
      kind: "password",
      pattern: ASSIGNMENT,
      group: 2,
      accept: (m) => {
        const value = m[2] ?? "";
        return (
          PASSWORD_NAME.test(m[1] ?? "") &&
          value.length >= 8 &&
          /[^A-Za-z]/.test(value) &&
          !DOTTED_IDENTIFIER.test(value) &&
          realPassword(value)
        );
      },
      source: "ours",
    },
    {
      // Prose: "the password is hunter2hunter2." (same tests as an assignment; a trailing stop is
      // not part of the value).
      kind: "password",
      pattern:
        /\b(?:password|passwd|passphrase)[ \t]{1,5}(?:is|was)[ \t]{1,5}["'`]?([^\s"'`,;<>(){}[\]]{7,255}[^\s"'`,;<>(){}[\].!?:])/dgi,
      group: 1,
      accept: (m) => {
        const value = m[1] ?? "";
        return /[^A-Za-z]/.test(value) && !DOTTED_IDENTIFIER.test(value) && realPassword(value);
      },
      source: "ours",
    },
    {
      kind: "generic_secret",
      pattern: ASSIGNMENT,
      group: 2,
      accept: (m) => {
        const value = m[2] ?? "";
        return (
          GENERIC_NAME.test(m[1] ?? "") &&
          value.length >= 16 &&
          /[A-Za-z]/.test(value) &&
          /\d/.test(value) &&
          !DOTTED_IDENTIFIER.test(value) &&
          !PLACEHOLDER.test(value) &&
          entropy(value) >= 3
        );
      },
      source: "ours",
    },
  ];
}
