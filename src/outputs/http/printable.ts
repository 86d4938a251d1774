/**
 * Text a remote server sent (an error body kept in a delivery's result) made safe to store and
 * print: terminal control sequences and other control characters removed, so an answer cannot
 * recolour, retitle or rewrite the operator's terminal, nor hide a secret from the scrubber.
 *
 * @example
 *   printable('HTTP 500: \x1b]0;pwned\x07oops')  // 'HTTP 500: oops'
 */
export function printable(text: string): string {
  return (
    text
      // CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and any other two-character escape.
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g, '')
      // C0 controls (tabs and newlines become spaces: one result stays one line), DEL and C1 controls.
      .replace(/[\t\n\r]/g, ' ')
      .replace(/[\x00-\x1f\x7f-\x9f]/g, '')
  );
}
