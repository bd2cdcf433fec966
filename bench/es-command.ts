/**
 * The event-sourced command, one and eight writers: load the cart (snapshot and later events),
 * decide, append at the loaded version, through the design's handler as the CLI runs it.
 * Compared with the raw INSERT of as many connections.
 */
import type { Benchmark, Measure } from "./harness/benchmark.ts";
import { commandMeasure } from "./measures-support/command-throughput.ts";
import { withScratchDesigns } from "./measures-support/scratch-designs.ts";
import { WRITER_COUNTS } from "./measures-support/writer-lanes.ts";

/** The target: at least 0.4x the raw INSERT with as many writers. */
const TARGET = 0.4;

export const esCommand: Benchmark = {
  id: "es-command",
  title: "event-sourced command (load, decide, append), 1 and 8 writers",
  kind: "measure",
  needs: ["baseline-insert"],
  async run(context) {
    return withScratchDesigns(context, "es", async (designs) => {
      const measures: Measure[] = [];
      for (const writers of WRITER_COUNTS) {
        measures.push(
          await commandMeasure(context, designs, {
            design: "es",
            writers,
            id: `es.command.w${writers}`,
            label: `event-sourced command (load, decide, append), ${writers} writer${writers === 1 ? "" : "s"}`,
            operation: "handler.applyRaw: load the cart (snapshot + later events), decide, append at the loaded version",
            target: TARGET,
          }),
        );
      }
      return measures;
    });
  },
};
