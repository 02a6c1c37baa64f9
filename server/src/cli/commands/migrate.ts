import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'not built yet',
  async run({ io }) {
    io.stderr.write('closewise migrate: not built yet\n');
    return 1;
  },
};
