/** One bench section: a file in ./sections exporting `section`. */
export interface BenchSection {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<void>;
}

export interface BenchResult {
  section: string;
  name: string;
  value: number | string;
  unit?: string;
  /** Human-readable target, e.g. "≤ 60 s"; with `pass` when the value was checked against it. */
  target?: string;
  pass?: boolean;
}

export interface BenchContext {
  quick: boolean;
  results: BenchResult[];
  log(line: string): void;
  record(result: Omit<BenchResult, 'section'>): void;
}

export function createContext(section: string, quick: boolean): BenchContext {
  const results: BenchResult[] = [];
  return {
    quick,
    results,
    log: (line) => process.stdout.write(`${line}\n`),
    record(result) {
      results.push({ section, ...result });
      const mark = result.pass === undefined ? '' : result.pass ? '  [PASS]' : '  [FAIL]';
      process.stdout.write(
        `  ${result.name}: ${result.value}${result.unit ? ` ${result.unit}` : ''}${result.target ? ` (target ${result.target})` : ''}${mark}\n`,
      );
    },
  };
}
