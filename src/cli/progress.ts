/**
 * Progress of a send on stderr, in three labelled phases: sending calls → following up tasks → writing reports.
 *
 * Our own renderer rather than a spinner library: nanospinner's line-clearing loop divides by the terminal's
 * width and spins forever on a terminal that reports 0 columns (while the run holds the project lock). This one
 * redraws a single line only where that is safe — an interactive terminal at least MIN_COLUMNS wide — and
 * otherwise prints a plain line when a phase starts, every few seconds, and when it ends. It starts no timer,
 * so it can never keep the process alive, and it writes at most one line per update.
 */

export type Phase = 'sending' | 'following' | 'writing';

/** What the send loop reports; `done` of `total` items in `phase`. */
export interface ProgressEvent {
  phase: Phase;
  done: number;
  total: number;
}

export interface Progress {
  update(event: ProgressEvent): void;
  /** Ends the current line (if redrawing) and prints the phase's last state; safe to call twice. */
  stop(): void;
}

/** The terminal a renderer writes to: process.stderr in production, a recording stub in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Below this width a redrawn line would wrap or be cut to nothing; print plain lines instead. */
const MIN_COLUMNS = 20;
const PLAIN_INTERVAL_MS = 5000;
const REDRAW_INTERVAL_MS = 80;

/** "sending 40/100 calls", "following up 12/100 tasks", "writing reports". */
export function describeProgress(e: ProgressEvent): string {
  if (e.phase === 'sending') return `sending ${e.done}/${e.total} calls`;
  if (e.phase === 'following') return `following up ${e.done}/${e.total} tasks`;
  return 'writing reports';
}

/** The same rule nanospinner and yocto-spinner use, decided from stderr (where progress goes), not stdout. */
export function isInteractive(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !('CI' in env);
}

/** A line fit to `columns`: a bar when there is room, the label cut to the width otherwise (never wraps). */
export function progressLine(e: ProgressEvent, columns: number): string {
  const label = describeProgress(e);
  const barWidth = Math.min(20, columns - label.length - 4);
  if (e.phase !== 'writing' && e.total > 0 && barWidth >= 5) {
    const filled = Math.round((Math.min(e.done, e.total) / e.total) * barWidth);
    return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${label}`;
  }
  return label.slice(0, Math.max(0, columns - 1));
}

export function startProgress(stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env, clock: () => number = Date.now): Progress {
  const interactive = isInteractive(stream, env);
  let current: ProgressEvent | undefined;
  let drawn = false; // a redrawn line is on screen and needs a newline before anything else
  let lastWrite = 0;
  let printedLast = ''; // the plain line printed last, so a phase's end is not printed twice

  const plain = (e: ProgressEvent): void => {
    const text = describeProgress(e);
    if (text === printedLast) return;
    stream.write(`${text}\n`);
    printedLast = text;
    lastWrite = clock();
  };

  // Width is read on every draw: the terminal may be resized (or report 0) at any time.
  const wide = (): boolean => interactive && (stream.columns ?? 0) >= MIN_COLUMNS;

  const draw = (e: ProgressEvent): void => {
    stream.write(`\r${progressLine(e, stream.columns ?? 0)}\u001b[K`);
    drawn = true;
    lastWrite = clock();
  };

  const endLine = (): void => {
    if (drawn) stream.write('\n');
    drawn = false;
  };

  return {
    update(e) {
      const phaseChanged = current?.phase !== e.phase;
      const previous = current;
      current = e;
      const finished = e.done >= e.total;
      if (wide()) {
        if (phaseChanged && previous) {
          draw(previous); // leave the finished phase's final state on screen
          endLine();
        }
        if (phaseChanged || finished || clock() - lastWrite >= REDRAW_INTERVAL_MS) draw(e);
        return;
      }
      endLine(); // the terminal got too narrow while a line was drawn
      if (phaseChanged && previous) plain(previous);
      if (phaseChanged || finished || clock() - lastWrite >= PLAIN_INTERVAL_MS) plain(e);
    },
    stop() {
      if (!current) return;
      if (wide()) {
        draw(current);
        endLine();
      } else {
        endLine();
        plain(current);
      }
      current = undefined;
    },
  };
}
