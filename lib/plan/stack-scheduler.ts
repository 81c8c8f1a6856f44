/**
 * Runs one task per stack, at most `concurrency` at a time, never starting a stack before the
 * stacks it depends on (among those being run) have finished. Independent stacks overlap; a chain
 * of dependent stacks runs one after another, as `cdktf deploy '*'` does.
 */

export type StackOutcome<T> =
  | { readonly status: "done"; readonly value: T }
  | { readonly status: "failed"; readonly error: Error }
  | { readonly status: "skipped"; readonly reason: string };

export interface ScheduleOptions<T> {
  /** Stack names in deployment order. */
  readonly stacks: readonly string[];
  /** The stacks a stack depends on; those not in `stacks` are ignored here. */
  readonly dependenciesOf: (stack: string) => readonly string[];
  readonly concurrency: number;
  /**
   * Skip a stack when a stack it depends on failed or was skipped (apply: its buckets may not be
   * ready). Plans do not need their prerequisites applied, so they run regardless.
   */
  readonly skipAfterFailure: boolean;
  readonly task: (stack: string) => Promise<T>;
  readonly onChange?: (event: { stack: string; state: "started" | StackOutcome<T>["status"] }) => void;
}

export async function runStacks<T>(options: ScheduleOptions<T>): Promise<Map<string, StackOutcome<T>>> {
  const { stacks, concurrency } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be 1 or more`);
  const wanted = new Set(stacks);
  const outcomes = new Map<string, StackOutcome<T>>();
  const pending = [...stacks];
  const running = new Set<string>();
  const dependencies = (stack: string) => options.dependenciesOf(stack).filter((d) => wanted.has(d));

  return new Promise((resolve) => {
    const settle = (stack: string, outcome: StackOutcome<T>) => {
      running.delete(stack);
      outcomes.set(stack, outcome);
      options.onChange?.({ stack, state: outcome.status });
      pump();
    };
    const pump = () => {
      for (let i = 0; i < pending.length && running.size < concurrency; ) {
        const stack = pending[i];
        const deps = dependencies(stack);
        if (!deps.every((d) => outcomes.has(d))) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        const blocked = deps.filter((d) => outcomes.get(d)?.status !== "done");
        if (options.skipAfterFailure && blocked.length > 0) {
          outcomes.set(stack, { status: "skipped", reason: `${blocked.join(", ")} did not complete` });
          options.onChange?.({ stack, state: "skipped" });
          i = 0;
          continue;
        }
        running.add(stack);
        options.onChange?.({ stack, state: "started" });
        options.task(stack).then(
          (value) => settle(stack, { status: "done", value }),
          (error: Error) => settle(stack, { status: "failed", error }),
        );
      }
      if (pending.length === 0 && running.size === 0) resolve(outcomes);
    };
    pump();
  });
}
