/** Reading an audit log line by line, streaming (shared by verify and query). */
import { fs } from "../builtins.js";

const { createReadStream } = fs;

export interface Line {
  readonly n: number;
  readonly text: string;
  /** Whether a newline ended it. */
  readonly terminated: boolean;
}

/**
 * Call `onLine` for each line of the file, in order, synchronously within each chunk read (much
 * cheaper per line than an async iterator). `onLine` returns false to stop reading. UTF-8
 * sequences split across chunks are kept whole.
 */
export async function eachLine(file: string, onLine: (line: Line) => boolean | undefined): Promise<void> {
  // The bytes after the last newline so far (a line that continues in the next chunk).
  const pending: Buffer[] = [];
  let n = 0;
  const stream = createReadStream(file, { highWaterMark: 4 * 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      if (pending.length > 0) {
        const nl = chunk.indexOf(0x0a);
        if (nl < 0) {
          pending.push(chunk);
          continue;
        }
        // Only the split line is copied, never the whole chunk.
        const text = Buffer.concat([...pending, chunk.subarray(0, nl)]).toString("utf8");
        pending.length = 0;
        if (onLine({ n: ++n, text, terminated: true }) === false) return;
        from = nl + 1;
      }
      const cut = chunk.lastIndexOf(0x0a);
      if (cut < from) {
        if (from < chunk.length) pending.push(chunk.subarray(from));
        continue;
      }
      const text = chunk.toString("utf8", from, cut);
      if (cut + 1 < chunk.length) pending.push(chunk.subarray(cut + 1));
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        const end = nl < 0 ? text.length : nl;
        if (onLine({ n: ++n, text: text.slice(start, end), terminated: true }) === false) return;
        if (nl < 0) break;
        start = nl + 1;
      }
    }
    if (pending.length > 0) {
      const text = Buffer.concat(pending).toString("utf8");
      if (text.length > 0) onLine({ n: ++n, text, terminated: false });
    }
  } finally {
    stream.destroy();
  }
}

/** The file's lines as an async iterator (for readers that filter and may stop early). */
export async function* lines(file: string): AsyncGenerator<Line> {
  let rest: Buffer | undefined;
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const cut = buf.lastIndexOf(0x0a);
    if (cut < 0) {
      rest = buf;
      continue;
    }
    const parts = buf.toString("utf8", 0, cut).split("\n");
    rest = cut + 1 < buf.length ? buf.subarray(cut + 1) : undefined;
    for (const text of parts) yield { n: ++n, text, terminated: true };
  }
  if (rest !== undefined && rest.length > 0) yield { n: ++n, text: rest.toString("utf8"), terminated: false };
}
