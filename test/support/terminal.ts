import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONDITION_TIMEOUT_MS } from './timeouts.ts';

/**
 * A real pseudo-terminal, driven through tmux: starts a command in a detached tmux session,
 * types into it (send-keys) and reads the screen (capture-pane). The program under test sees
 * a genuine TTY, so its prompts, echo and masking behave as they do for a user.
 */
export class Terminal {
  readonly #socket = `sa-test-${randomBytes(4).toString('hex')}`;
  readonly #session = 'main';
  readonly #dir = mkdtempSync(join(tmpdir(), 'sa-terminal-'));
  readonly #transcript = join(this.#dir, 'transcript');

  private constructor() {}

  /** Runs `command` (a shell command line) in `cwd` with extra `env`; prints EXIT=<code> when it ends. */
  static start(command: string, options: { cwd: string; env?: Record<string, string | undefined> }): Terminal {
    const terminal = new Terminal();
    const exports = Object.entries(options.env ?? {})
      .flatMap(([key, value]) => (value === undefined ? [] : [`export ${key}=${shellQuote(value)};`]))
      .join(' ');
    const script = `cd ${shellQuote(options.cwd)}; ${exports} ${command}; echo "EXIT=$?"; sleep 600`;
    // pipe-pane in the same tmux command as the session, so the transcript misses nothing.
    terminal.#tmux(
      'new-session', '-d', '-s', terminal.#session, '-x', '220', '-y', '50', script,
      ';', 'pipe-pane', '-t', terminal.#session, `cat >> ${shellQuote(terminal.#transcript)}`,
    );
    return terminal;
  }

  /** Types text literally (no key-name interpretation). */
  type(text: string): void {
    this.#tmux('send-keys', '-t', this.#session, '-l', text);
  }

  /** Presses named keys, e.g. 'Enter', 'C-c', 'C-d'. */
  press(...keys: string[]): void {
    this.#tmux('send-keys', '-t', this.#session, ...keys);
  }

  /** The visible screen, with the scrollback. */
  screen(): string {
    return this.#tmux('capture-pane', '-p', '-S', '-200', '-t', this.#session);
  }

  /**
   * Every byte the command wrote to the terminal, from its start to its end, waiting for that
   * end: unlike the screen, it keeps what was redrawn over (a prompt's line as it was typed).
   */
  async transcript(timeoutMs = CONDITION_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // tmux starts the pipe's `cat` on its own time: no file yet is an empty transcript.
      const transcript = existsSync(this.#transcript) ? readFileSync(this.#transcript, 'utf8') : '';
      if (/EXIT=\d+/.test(transcript)) return transcript;
      if (Date.now() > deadline) throw new Error(`the command never ended; transcript so far:\n${transcript}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the screen matches, or fails showing what was on it. */
  async waitFor(pattern: string | RegExp, timeoutMs = CONDITION_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${String(pattern)}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for the command to end and returns its exit code. */
  async exitCode(timeoutMs = CONDITION_TIMEOUT_MS): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs);
    return Number(/EXIT=(\d+)/.exec(screen)![1]);
  }

  close(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Whether tmux is installed (the prompt tests need it; CI installs it). */
export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();
