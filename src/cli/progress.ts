/** A one-line display on standard error that later lines replace. */
export interface ProgressLine {
  /** Whether anything is shown (standard error is a terminal): a caller may skip work done only for the display. */
  readonly enabled: boolean;
  update(text: () => string): void;
  done(): void;
}

/**
 * A one-line progress display on standard error, redrawn at most every 200 ms, only when
 * standard error is a terminal (logs and CI output stay clean).
 */
export function progressLine(enabled = process.stderr.isTTY === true): ProgressLine {
  let last = 0;
  let shown = false;
  return {
    enabled,
    update(text) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[2K${text()}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

const BAR_WIDTH = 24;

/** `[#########---------------]  38%`: how far through a file of known size. */
export function progressBar(done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}
