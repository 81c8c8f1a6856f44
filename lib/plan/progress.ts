/**
 * One progress line for stacks run concurrently: how many are done, running and failed (a stack
 * skipped because its prerequisite failed counts as failed). On a
 * terminal it is a cli-progress bar redrawn in place; otherwise (pipelines, logs) one plain line
 * per change, so the log still tells the story.
 */
import { SingleBar } from "cli-progress";

export interface Progress {
  readonly update: (event: { stack: string; state: "started" | "done" | "failed" | "skipped" }) => void;
  readonly stop: () => void;
}

export interface ProgressIo {
  readonly isTTY: boolean;
  /** Where plain lines go (stderr: stdout holds the summary). */
  readonly log: (line: string) => void;
  /** The stream the bar draws on. */
  readonly stream?: NodeJS.WritableStream;
}

export function stackProgress(verb: string, total: number, io: ProgressIo): Progress {
  let done = 0;
  let failed = 0;
  const running = new Set<string>();
  const counts = () => ({ done, running: running.size, failed });
  const bar = io.isTTY
    ? new SingleBar({
        format: `${verb} {bar} {value}/{total} | {done} done, {running} running, {failed} failed | {current}`,
        stream: io.stream ?? process.stderr,
        hideCursor: true,
        clearOnComplete: false,
      })
    : undefined;
  bar?.start(total, 0, { ...counts(), current: "" });
  return {
    update: ({ stack, state }) => {
      if (state === "started") running.add(stack);
      else {
        running.delete(stack);
        if (state === "done") done++;
        else failed++;
      }
      if (bar) bar.update(done + failed, { ...counts(), current: stack });
      else io.log(`${verb}: ${done} done, ${running.size} running, ${failed} failed of ${total} (${stack} ${state})`);
    },
    stop: () => bar?.stop(),
  };
}
