import type { Command } from './command.ts';

export function formatUsage(path: string[], command: Command): string {
  const lines = [`Usage: ${path.join(' ')}${command.subcommands ? ' <command>' : ''} [options]`, '', command.summary];
  if (command.subcommands) {
    lines.push('', 'Commands:');
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(14)} ${sub.summary}`);
  }
  const options = Object.entries(command.options ?? {});
  lines.push('', 'Options:');
  for (const [name, spec] of options) {
    const flag = `--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    lines.push(`  ${flag.padEnd(24)} ${command.optionHelp?.[name] ?? ''}`.trimEnd());
  }
  lines.push(`  ${'--help'.padEnd(24)} show this help`);
  if (command.details) lines.push('', command.details);
  return `${lines.join('\n')}\n`;
}
