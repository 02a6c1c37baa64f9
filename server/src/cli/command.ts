import type { ParseArgsOptionsConfig } from 'node:util';

/** What a command may touch of the outside world; tests pass their own. */
export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: CommandIo;
}

/**
 * One CLI command. `options` follow node:util parseArgs; every command also gets --help.
 * A command either has `run` or `subcommands` (like `closewise model train`).
 * `run` returns the process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  /** Extra usage text shown under the option list (examples, positional arguments). */
  details?: string;
  options?: ParseArgsOptionsConfig;
  /** Short descriptions of each option, for --help. */
  optionHelp?: Record<string, string>;
  allowPositionals?: boolean;
  subcommands?: Command[];
  run?: (ctx: CommandContext) => Promise<number>;
}

/** Wrong words on the command line: usage is printed and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
