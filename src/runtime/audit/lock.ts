/**
 * One writer per audit file: `<file>.lock` holds the writing process's id. A second process (or a
 * second runplane in the same process) that opens the same log is refused with a message naming
 * the holder; a lock left by a process that no longer runs (kill -9) is taken over.
 *
 * Several agent processes on one host therefore each need their own audit file (or one process
 * that owns the log). Approvals answered from another process (`rplc approvals approve`) write
 * nothing to the log: the process that runs the action records the answer.
 *
 * Known gap: two processes that both find a lock left by a dead process can both take it over (each
 * removes the stale file, one may remove the other's fresh lock). It needs a killed writer first.
 */
import { fs } from "../builtins.js";

const { linkSync, readFileSync, unlinkSync, writeFileSync } = fs;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Take the lock; returns the function that releases it. Throws (a plain Error) when it is held. */
export function acquireLock(file: string): () => void {
  const lockPath = `${file}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    // The lock file appears with its content (a hard link to a file written first), so nobody ever
    // reads an empty lock and takes it for a stale one: creating it empty and then writing the pid
    // let a second process, reading in between, delete a live lock (two writers, duplicate numbers).
    const tmp = `${lockPath}.${mine}.${attempt}.tmp`;
    writeFileSync(tmp, mine);
    try {
      linkSync(tmp, lockPath);
      return () => {
        try {
          if (readFileSync(lockPath, "utf8") === mine) unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      unlinkSync(tmp);
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
    } catch {
      // Unreadable or vanished: treat as stale.
    }
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      const who = holder === process.pid ? "this process (another runplane)" : `process ${holder}`;
      throw new Error(
        `${file} is being written by ${who}: one process writes an audit log (give each process its own file)`,
      );
    }
    try {
      unlinkSync(lockPath); // stale: its process is gone
    } catch {
      // Someone else removed it first; try again.
    }
  }
  throw new Error(`cannot take the lock ${lockPath}: another process keeps taking it`);
}
