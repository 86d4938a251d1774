/**
 * A one-line progress display on standard error, redrawn at most every 200 ms, only when
 * standard error is a terminal (logs and CI output stay clean).
 */
export function progressLine(enabled = process.stderr.isTTY === true): { update(text: () => string): void; done(): void } {
  let last = 0;
  let shown = false;
  return {
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
