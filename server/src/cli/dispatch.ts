import { parseArgs } from 'node:util';
import type { Command, CommandIo } from './command.ts';
import { UsageError } from './command.ts';
import { formatUsage } from './usage.ts';

/**
 * Walks argv down the command tree and runs the command it names.
 * Unknown commands and flags throw UsageError carrying the usage text of the nearest command.
 */
export async function dispatch(root: Command, argv: string[], io: CommandIo): Promise<number> {
  const path = [root.name];
  let command = root;
  let rest = argv;
  while (command.subcommands) {
    const [next, ...tail] = rest;
    if (next === undefined || next === '--help' || next === '-h') {
      io.stdout.write(formatUsage(path, command));
      return next === undefined ? 2 : 0;
    }
    const sub = command.subcommands.find((candidate) => candidate.name === next);
    if (!sub) throw new UsageError(`Unknown command '${next}'.\n\n${formatUsage(path, command)}`);
    path.push(sub.name);
    command = sub;
    rest = tail;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${formatUsage(path, command)}`);
  }
  if (parsed.values.help) {
    io.stdout.write(formatUsage(path, command));
    return 0;
  }
  if (!command.run) throw new UsageError(formatUsage(path, command));
  return command.run({ values: parsed.values, positionals: parsed.positionals, io });
}
