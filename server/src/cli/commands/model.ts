import type { Command } from '../command.ts';

export const modelCommand: Command = {
  name: 'model',
  summary: 'not built yet',
  async run({ io }) {
    io.stderr.write('closewise model: not built yet\n');
    return 1;
  },
};
