/** Reading an audit log line by line, streaming (shared by verify and query). */
import { createReadStream } from "node:fs";

export interface Line {
  readonly n: number;
  readonly text: string;
  /** Whether a newline ended it. */
  readonly terminated: boolean;
}

/** The file's lines, streaming (UTF-8 sequences split across chunks are kept whole). */
export async function* lines(file: string): AsyncGenerator<Line> {
  let rest: Buffer | undefined;
  let n = 0;
  for await (const chunk of createReadStream(file, {
    highWaterMark: 4 * 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const cut = buf.lastIndexOf(0x0a);
    if (cut < 0) {
      rest = buf;
      continue;
    }
    const parts = buf.toString("utf8", 0, cut).split("\n");
    for (const text of parts) yield { n: ++n, text, terminated: true };
    rest = cut + 1 < buf.length ? buf.subarray(cut + 1) : undefined;
  }
  if (rest !== undefined && rest.length > 0) yield { n: ++n, text: rest.toString("utf8"), terminated: false };
}
