import { ClosewiseError } from '../errors/errors.ts';
import type { CommandIo } from './command.ts';
import { UsageError } from './command.ts';
import { rootCommand } from './commands/index.ts';
import { dispatch } from './dispatch.ts';

/** Exit codes: 0 ok, 1 failure of the environment (store, network, config), 2 bad usage or bad input. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof ClosewiseError) return error.code === 'BAD_INPUT' ? 2 : 1;
  return 1;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(rootCommand, argv, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`closewise: ${message.trimEnd()}\n`);
    if (!(error instanceof UsageError) && !(error instanceof ClosewiseError) && io.env.CLOSEWISE_DEBUG) {
      io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    return exitCodeFor(error);
  }
}
