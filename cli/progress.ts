/**
 * Progress bars for people watching a terminal (cli-progress), behind core/progress.ts's interface.
 * Shown only when someone can see them and nothing parses the output: stdout and stderr are
 * terminals, no `--json`, no `--quiet`, not in CI. Bars go to stderr, so stdout stays the result.
 */
import cliProgress from 'cli-progress';
import { NO_PROGRESS, type Progress, type ProgressPhase } from '../core/progress.ts';

/** A progress reporter that owns a display: `close()` removes it (call once the command ends). */
export interface ClosableProgress extends Progress {
  /** Write an informational line (to stderr) without tearing the bars. */
  write(line: string): void;
  close(): void;
}

export interface ProgressChoice {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Environment: a non-empty `CI` other than `0` or `false` means a CI job (no one watching). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal. */
  readonly stdoutIsTerminal: boolean;
  /** Where bars are drawn (stderr); must be a terminal too. */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Whether bars should be shown, by the rules above. */
export function progressWanted(choice: ProgressChoice): boolean {
  const ci = choice.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return !choice.json && !choice.quiet && !inCi && choice.stdoutIsTerminal && choice.stream.isTTY === true;
}

/** Bars if wanted (see `progressWanted`), else a reporter that shows nothing and writes lines straight to the stream. */
export function createProgress(choice: ProgressChoice): ClosableProgress {
  if (progressWanted(choice)) return new TerminalProgress(choice.stream);
  return { start: NO_PROGRESS.start, write: (line) => void choice.stream.write(`${line}\n`), close: () => {} };
}

/** One bar per phase, several at once (both parties of a local run report their own phases). */
export class TerminalProgress implements ClosableProgress {
  readonly #stream: NodeJS.WritableStream;
  readonly #bars: cliProgress.MultiBar;
  #active = 0;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    this.#bars = new cliProgress.MultiBar({
      stream,
      format: '{label} [{bar}] {value}/{total} {detail}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      autopadding: true,
    });
  }

  start(label: string, total: number): ProgressPhase {
    const bar = this.#bars.create(Math.max(0, total), 0, { label, detail: '' });
    this.#active++;
    let open = true;
    return {
      tick: (steps = 1, detail) => {
        if (open) bar.increment(steps, detail === undefined ? {} : { detail });
      },
      done: () => {
        if (!open) return;
        open = false;
        bar.stop();
        this.#active--;
        this.#bars.remove(bar); // redraws, which also writes the lines logged meanwhile
      },
    };
  }

  write(line: string): void {
    // While bars are shown, cli-progress prints logged lines above them at its next redraw.
    if (this.#active > 0) this.#bars.log(`${line}\n`);
    else this.#stream.write(`${line}\n`);
  }

  close(): void {
    if (!this.#bars.isActive) return; // no bar was ever shown: nothing to clear
    if (this.#active > 0) this.#bars.update(); // lines logged since the last redraw
    this.#bars.stop();
  }
}
