/**
 * How a function entry point fails at startup: one line on stderr naming the cause, exit code 1. Lambda
 * and Cloud Run show that line as the init error instead of a stack trace through module loading.
 */
export function failStartup(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`closewise function: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}
