// PLACEHOLDER: being written by a helper session; replaced before it lands.
import type { Command } from "commander";
import type { CliIo } from "../io.js";

export function addMcpCommands(
  _program: Command,
  _io: CliIo,
  _done: (code: number) => void,
  _configure: (cmd: Command, name: string) => void,
): void {}
