import type { Command } from '../command.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'not built yet',
  async run({ io }) {
    io.stderr.write('closewise demo: not built yet\n');
    return 1;
  },
};
