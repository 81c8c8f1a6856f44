/**
 * How a long-running command shows progress: a redrawn line on a terminal (cli-progress), one
 * plain line per update where nothing can be redrawn (a pipe, a CI log, a terminal that reports
 * no usable width), or nothing with --quiet. A terminal that reports 0 columns (under `script`,
 * some CI and container terminals) gets plain lines: redrawing there is what made doctor hang.
 */
import { SingleBar } from "cli-progress";

/** The stream progress goes to (stderr), as much of it as the decision needs. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export type DisplayMode = "live" | "lines" | "none";

/** Narrower than this, a redrawn line wraps and every redraw scrolls. */
export const MIN_LIVE_COLUMNS = 40;

export function displayMode(
  stream: Pick<ProgressStream, "isTTY" | "columns">,
  env: NodeJS.ProcessEnv,
  quiet: boolean,
): DisplayMode {
  if (quiet) return "none";
  const usable = stream.isTTY === true && (stream.columns ?? 0) >= MIN_LIVE_COLUMNS;
  return usable && !env.CI && env.TERM !== "dumb" ? "live" : "lines";
}

export interface Progress {
  /** Shows the current state: a redraw, a line, or nothing. */
  update(text: string, done?: { value: number; total: number }): void;
  /** Ends the live line, if any, so what follows starts on a fresh line. */
  stop(): void;
}

/**
 * One progress display on `stream`, in the given mode: with a bar when the work has a size (a
 * job's tasks), without one when it has none (the canary's wait). Lines mode writes one line per
 * update, so a log shows every poll.
 */
export function progress(
  mode: DisplayMode,
  stream: ProgressStream,
  options: { label?: string; bar: boolean },
): Progress {
  const prefix = options.label ? `${options.label}: ` : "";
  if (mode === "none") return { update: () => {}, stop: () => {} };
  if (mode === "lines") return { update: (text) => stream.write(`${prefix}${text}\n`), stop: () => {} };
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: options.bar ? `${prefix}{bar} {percentage}% | {text}` : `${prefix}{text}`,
    hideCursor: true,
    linewrap: false,
    barsize: 20,
  });
  let started = false;
  return {
    update: (text, done = { value: 0, total: 0 }) => {
      if (!started) {
        bar.start(done.total, done.value, { text });
        started = true;
      } else {
        bar.setTotal(done.total);
        bar.update(done.value, { text });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
