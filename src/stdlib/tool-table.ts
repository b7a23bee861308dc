/**
 * The table behind tool-map.ts: common agent tool names → the standard actions of stdlib/actions
 * and their argument shapes (stdlib/schemas). One entry per tool family; each reads the argument
 * names the known tools use (`path`, `file_path`, `filePath`…) and writes the schema's names.
 *
 * A mapper never throws and never invents a value: an argument it cannot find is left out, so the
 * request fails schema validation with a pointer to the missing field (and the decision falls to
 * `on_error`, block by default) instead of being judged on a made-up value.
 */

/** The `{ action, args }` part of a request. */
export interface MappedCall {
  readonly action: string;
  readonly args: Record<string, unknown>;
}

export interface MapContext {
  /** The agent's working directory, when the integration knows it. */
  readonly cwd?: string | undefined;
}

/** Tool input (an object) → one call, or several (`read_multiple_files`). */
export type ToolMapper = (input: Record<string, unknown>, ctx: MapContext) => MappedCall | MappedCall[];

type Input = Record<string, unknown>;

/** The first of `keys` that holds a value other than undefined/null. */
function pick(input: Input, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (Object.hasOwn(input, k) && input[k] !== undefined && input[k] !== null) return input[k];
  }
  return undefined;
}

function str(input: Input, keys: readonly string[]): string | undefined {
  const v = pick(input, keys);
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A list of strings from an array, or from one string split at commas and semicolons. */
function strList(input: Input, keys: readonly string[]): string[] | undefined {
  const v = pick(input, keys);
  if (typeof v === "string") {
    return v
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  if (Array.isArray(v)) {
    return v.flatMap((x) => {
      if (typeof x === "string") return [x];
      if (typeof x === "object" && x !== null) {
        const addr = str(x as Input, ["email", "address"]);
        return addr === undefined ? [] : [addr];
      }
      return [];
    });
  }
  return undefined;
}

/** Text of a body that may be an object (sent as JSON). */
function text(input: Input, keys: readonly string[]): string | undefined {
  const v = pick(input, keys);
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** `args` with the undefined entries left out. */
function defined(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined) out[k] = v;
  return out;
}

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** An argv array as one POSIX shell command line (`["bash", "-lc", "ls -la"]`). */
export function shellJoin(words: readonly string[]): string {
  return words.map((w) => (SAFE_WORD.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}

const PATH = [
  "path",
  "file_path",
  "filePath",
  "filepath",
  "file",
  "filename",
  "target_file",
  "notebook_path",
];
const DIR = ["path", "dir", "directory", "dir_path", "target_directory", "relative_workspace_path"];

function cwdOf(input: Input, ctx: MapContext): string | undefined {
  return str(input, ["cwd", "workdir", "working_directory"]) ?? ctx.cwd;
}

const shell: ToolMapper = (input, ctx) => {
  const raw = pick(input, ["command", "cmd", "script", "commandLine"]);
  const command = Array.isArray(raw)
    ? shellJoin(raw.map((w) => String(w)))
    : typeof raw === "string"
      ? raw
      : undefined;
  const timeout = pick(input, ["timeout", "timeout_ms"]);
  return {
    action: "shell.exec",
    args: defined({
      command,
      cwd: cwdOf(input, ctx),
      timeout_ms: typeof timeout === "number" ? timeout : undefined,
    }),
  };
};

const read: ToolMapper = (input, ctx) => {
  const offset = pick(input, ["offset", "start_line"]);
  const limit = pick(input, ["limit", "max_lines"]);
  return {
    action: "fs.read",
    args: defined({
      path: str(input, PATH),
      cwd: cwdOf(input, ctx),
      offset: typeof offset === "number" ? offset : undefined,
      limit: typeof limit === "number" ? limit : undefined,
    }),
  };
};

const readMany: ToolMapper = (input, ctx) => {
  const paths = strList(input, ["paths", "file_paths", "files"]) ?? [];
  return paths.map((path) => ({ action: "fs.read", args: defined({ path, cwd: cwdOf(input, ctx) }) }));
};

/** Searching file contents reads the files below the path (Claude Code Grep). */
const grep: ToolMapper = (input, ctx) => ({
  action: "fs.read",
  args: defined({ path: str(input, DIR) ?? ".", cwd: cwdOf(input, ctx) }),
});

const write: ToolMapper = (input, ctx) => ({
  action: "fs.write",
  args: defined({
    path: str(input, PATH),
    content: text(input, ["content", "contents", "text", "file_text", "data"]),
    cwd: cwdOf(input, ctx),
    append: pick(input, ["append"]) === true || pick(input, ["mode"]) === "append" ? true : undefined,
  }),
});

/** Edits as `{ old_text, new_text }` from the shapes tools use. */
function edits(input: Input): { old_text: string; new_text: string }[] {
  const list = pick(input, ["edits", "changes"]);
  if (Array.isArray(list)) {
    return list.flatMap((e) => {
      if (typeof e !== "object" || e === null) return [];
      const o = e as Input;
      return [
        {
          old_text: str(o, ["old_text", "oldText", "old_string", "old_str", "search"]) ?? "",
          new_text: str(o, ["new_text", "newText", "new_string", "new_str", "replace"]) ?? "",
        },
      ];
    });
  }
  const newText = text(input, [
    "new_string",
    "new_str",
    "newText",
    "new_text",
    "new_source",
    "diff",
    "content",
  ]);
  return [
    {
      old_text: str(input, ["old_string", "old_str", "oldText", "old_text"]) ?? "",
      new_text: newText ?? "",
    },
  ];
}

const edit: ToolMapper = (input, ctx) => ({
  action: "fs.edit",
  args: defined({ path: str(input, PATH), edits: edits(input), cwd: cwdOf(input, ctx) }),
});

/** Anthropic's text editor tool: one tool, the operation in `command`. */
const textEditor: ToolMapper = (input, ctx) => {
  switch (pick(input, ["command"])) {
    case "view":
      return read(input, ctx);
    case "create":
      return write(input, ctx);
    default:
      return edit(input, ctx);
  }
};

const remove: ToolMapper = (input, ctx) => {
  const recursive = pick(input, ["recursive"]);
  return {
    action: "fs.delete",
    args: defined({
      path: str(input, PATH),
      cwd: cwdOf(input, ctx),
      recursive: recursive === true || undefined,
    }),
  };
};

const list: ToolMapper = (input, ctx) => ({
  action: "fs.list",
  args: defined({
    path: str(input, [...DIR, "file_path"]) ?? ".",
    pattern: str(input, ["pattern", "glob", "query"]),
    cwd: cwdOf(input, ctx),
    recursive: pick(input, ["recursive"]) === true ? true : undefined,
  }),
});

/** `directory_tree` and searches walk everything below the path. */
const tree: ToolMapper = (input, ctx) => {
  const m = list(input, ctx) as MappedCall;
  return { action: m.action, args: { ...m.args, recursive: true } };
};

const move: ToolMapper = (input, ctx) => ({
  action: "fs.move",
  args: defined({
    source: str(input, ["source", "src", "from", "old_path", "oldPath", "path"]),
    destination: str(input, ["destination", "dest", "dst", "to", "new_path", "newPath"]),
    cwd: cwdOf(input, ctx),
  }),
});

const mkdir: ToolMapper = (input, ctx) => ({
  action: "fs.mkdir",
  args: defined({ path: str(input, DIR), cwd: cwdOf(input, ctx) }),
});

const http: ToolMapper = (input) => {
  const headers = pick(input, ["headers"]);
  const files = strList(input, ["files", "upload_files", "attachments"]);
  return {
    action: "http.request",
    args: defined({
      url: str(input, ["url", "uri", "href", "link"]),
      method: str(input, ["method"])?.toUpperCase(),
      headers:
        typeof headers === "object" && headers !== null && !Array.isArray(headers)
          ? Object.fromEntries(Object.entries(headers as Input).map(([k, v]) => [k, String(v)]))
          : undefined,
      body: text(input, ["body", "data", "json", "payload"]),
      files: files !== undefined && files.length > 0 ? files : undefined,
    }),
  };
};

function attachments(input: Input): { filename: string; path?: string; content?: string }[] | undefined {
  const v = pick(input, ["attachments", "files"]);
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((a) => {
    if (typeof a === "string") return [{ filename: a.split("/").pop() ?? a, path: a }];
    if (typeof a !== "object" || a === null) return [];
    const o = a as Input;
    const p = str(o, ["path", "file_path", "filePath"]);
    const filename = str(o, ["filename", "name", "fileName"]) ?? p?.split("/").pop() ?? "attachment";
    return [
      defined({ filename, path: p, content: text(o, ["content", "data", "text"]) }) as { filename: string },
    ];
  });
}

const email: ToolMapper = (input) => ({
  action: "email.send",
  args: defined({
    from: str(input, ["from", "sender"]),
    to: strList(input, ["to", "recipients", "recipient", "to_addresses"]),
    cc: strList(input, ["cc"]),
    bcc: strList(input, ["bcc"]),
    subject: str(input, ["subject", "title"]) ?? "",
    body: text(input, ["body", "text", "html", "content", "message"]) ?? "",
    attachments: attachments(input),
  }),
});

const message: ToolMapper = (input) => ({
  action: "message.send",
  args: defined({
    channel: str(input, ["channel", "channel_id", "channelId", "conversation", "to", "user"]),
    text: text(input, ["text", "message", "content", "body"]),
  }),
});

const query: ToolMapper = (input) => ({
  action: "db.query",
  args: defined({
    sql: str(input, ["sql", "query", "statement"]),
    database: str(input, ["database", "db", "connection"]),
  }),
});

const payment: ToolMapper = (input) => {
  const amount = pick(input, ["amount", "value", "total"]);
  const n = typeof amount === "string" && amount.trim() !== "" ? Number(amount) : amount;
  return {
    action: "payment.create",
    args: defined({
      amount: typeof n === "number" && Number.isFinite(n) ? n : undefined,
      currency: str(input, ["currency"])?.toUpperCase(),
      payee: str(input, ["payee", "recipient", "destination", "to", "beneficiary", "vendor_id"]),
      description: str(input, ["description", "memo", "reference"]),
    }),
  };
};

function entries(mapper: ToolMapper, names: readonly string[]): [string, ToolMapper][] {
  return names.map((n) => [n, mapper]);
}

/**
 * Tool name → mapper. Names are matched exactly first, then case-insensitively, after an MCP
 * prefix (`mcp__server__tool`, `server.tool`, `server:tool`, `server/tool`) is removed.
 */
export const TOOL_TABLE: ReadonlyMap<string, ToolMapper> = new Map<string, ToolMapper>([
  ...entries(shell, [
    "Bash",
    "bash",
    "shell",
    "run_command",
    "execute_command",
    "run_shell_command",
    "run_terminal_cmd",
    "terminal",
    "exec",
    "shell_exec",
    "execute_shell",
    "local_shell",
  ]),
  ...entries(read, [
    "Read",
    "read_file",
    "read_text_file",
    "read_media_file",
    "view_file",
    "open_file",
    "cat",
  ]),
  ...entries(readMany, ["read_multiple_files", "read_files"]),
  ...entries(grep, ["Grep", "grep", "grep_search", "search_file_contents"]),
  ...entries(write, ["Write", "write_file", "create_file", "write_to_file", "save_file"]),
  ...entries(edit, [
    "Edit",
    "MultiEdit",
    "NotebookEdit",
    "edit_file",
    "replace_in_file",
    "apply_edit",
    "str_replace",
  ]),
  ...entries(textEditor, ["str_replace_editor", "str_replace_based_edit_tool", "text_editor"]),
  ...entries(remove, ["delete_file", "remove_file", "delete_directory", "remove_directory", "rm"]),
  ...entries(list, ["LS", "list_directory", "list_directory_with_sizes", "list_dir", "list_files", "ls"]),
  ...entries(list, ["get_file_info", "file_info", "stat", "list_allowed_directories"]),
  ...entries(tree, ["Glob", "directory_tree", "search_files", "find_files", "file_search", "glob"]),
  ...entries(move, ["move_file", "rename_file", "move", "rename"]),
  ...entries(mkdir, ["create_directory", "make_directory", "mkdir"]),
  ...entries(http, [
    "WebFetch",
    "http_request",
    "fetch",
    "fetch_url",
    "web_fetch",
    "http_get",
    "http_post",
    "request",
  ]),
  ...entries(email, ["send_email", "send_mail", "gmail_send", "gmail_send_message", "email_send"]),
  ...entries(message, [
    "send_message",
    "post_message",
    "slack_post_message",
    "slack_send_message",
    "chat_post",
  ]),
  ...entries(query, [
    "query",
    "sql",
    "execute_sql",
    "run_sql",
    "sql_query",
    "execute_query",
    "run_query",
    "read_query",
    "write_query",
  ]),
  ...entries(payment, ["create_payment", "create_payout", "transfer_funds", "send_payment", "send_money"]),
]);
