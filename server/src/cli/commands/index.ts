import type { Command } from '../command.ts';
import { backtestCommand } from './backtest.ts';
import { demoCommand } from './demo.ts';
import { migrateCommand } from './migrate.ts';
import { modelCommand } from './model.ts';
import { salesforceCommand } from './salesforce.ts';
import { serveCommand } from './serve.ts';
import { statusCommand } from './status.ts';
import { workerCommand } from './worker.ts';

export const rootCommand: Command = {
  name: 'closewise',
  summary: 'Closewise: calibrated win probabilities, reasons and next actions for HubSpot and Salesforce.',
  subcommands: [demoCommand, serveCommand, migrateCommand, modelCommand, workerCommand, statusCommand, backtestCommand, salesforceCommand],
};
