import type { Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'not built yet',
  async run({ io }) {
    io.stderr.write('closewise serve: not built yet\n');
    return 1;
  },
};
