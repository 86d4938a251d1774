/** Exit codes, fixed by DESIGN.md; 130 is the shell's convention for Ctrl-C. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** An error the CLI reports as one clear line and a chosen exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** Ends a command with an exit code after it has already printed what the user needs. */
export class QuietExit extends Error {
  override name = 'QuietExit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
