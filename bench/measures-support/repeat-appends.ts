import type { BenchContext } from "../harness/benchmark.ts";
import { repeat } from "../harness/repeat.ts";
import type { Repeated } from "../harness/repeat.ts";
import { dealOperations, runLanes } from "./writer-lanes.ts";

/** Streams each writer cycles through: every append after the first round lands on a stream that already has events. */
export const STREAMS_PER_WRITER = 10;

export interface AppendPlan {
  /** What the progress line calls it. */
  name: string;
  writers: number;
  /** Appends per timed repetition; the warm-up does a fifth (at least one per stream). */
  appends: number;
  /** The streams' names start with it; they are `<prefix>-w<writers>-<lane>-<n>`. */
  streamPrefix: string;
  /** One append of one event to `stream` at `version` on `lane`'s writer; resolves to the stream's next version. */
  appendAt(lane: number, stream: string, version: number): Promise<number>;
}

/**
 * One-event appends at their expected version, dealt over the writers, each writer cycling
 * through streams of its own and tracking their versions (nothing is read first): the loop the
 * journal's append and its parts (journal-append-anatomy) are measured with alike.
 */
export function repeatAppends(context: BenchContext, plan: AppendPlan): Promise<Repeated> {
  const versions = new Map<string, number>();
  const turns = Array.from({ length: plan.writers }, () => 0);
  const appendOne = async (lane: number) => {
    const turn = (turns[lane] = (turns[lane] as number) + 1);
    const stream = `${plan.streamPrefix}-w${plan.writers}-${lane}-${turn % STREAMS_PER_WRITER}`;
    versions.set(stream, await plan.appendAt(lane, stream, versions.get(stream) ?? 0));
  };
  const appendMany = (count: number) => runLanes(dealOperations(count, plan.writers), (_operation, lane) => appendOne(lane));
  const warmUpAppends = Math.max(plan.writers * STREAMS_PER_WRITER, Math.floor(plan.appends / 5));
  return repeat(context, {
    name: plan.name,
    unit: "appends/s",
    writers: plan.writers,
    warmUp: async () => {
      await appendMany(warmUpAppends);
      return warmUpAppends;
    },
    once: () => appendMany(plan.appends),
  });
}
