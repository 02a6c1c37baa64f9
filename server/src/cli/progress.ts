/**
 * Progress for long work: a redrawn bar on a terminal, plain periodic lines otherwise (CI logs),
 * so a person sees movement and a log file stays readable.
 */
export interface Progress {
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Minimum milliseconds between plain lines when not on a terminal. */
  plainIntervalMs?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  return options.stream.isTTY ? terminalBar(options) : plainLines(options);
}

function percent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.min(100, Math.round((done / total) * 100));
}

function terminalBar({ label, total, stream }: ProgressOptions): Progress {
  const width = 28;
  const draw = (done: number, note = '') => {
    const filled = Math.round((percent(done, total) / 100) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    stream.write(`\r${label.padEnd(22)} ${bar} ${String(percent(done, total)).padStart(3)}% ${done}/${total} ${note}\x1b[K`);
  };
  return {
    update: draw,
    finish(note) {
      draw(total, note);
      stream.write('\n');
    },
  };
}

/**
 * One line per step when it ends, and in between a line at most every `plainIntervalMs` for a step still running
 * (none at its start: a quick step would otherwise print twice, "0/1" and then "done").
 */
function plainLines({ label, total, stream, plainIntervalMs = 2000 }: ProgressOptions): Progress {
  let lastAt = Date.now();
  return {
    update(done, note) {
      const now = Date.now();
      if (done >= total || now - lastAt < plainIntervalMs) return;
      lastAt = now;
      stream.write(`${label}: ${done}/${total} (${percent(done, total)}%)${note ? ` ${note}` : ''}\n`);
    },
    finish(note) {
      stream.write(`${label}: done${total > 1 ? ` ${total}/${total}` : ''}${note ? ` ${note}` : ''}\n`);
    },
  };
}
