/**
 * The CRUD command, one and eight writers: load the cart with its lines and discounts under the
 * row lock, decide, write the change (and the intent message CDC carries), through the design's
 * handler as the CLI runs it. Compared with the raw INSERT of as many connections.
 */
import type { Benchmark, Measure } from "./harness/benchmark.ts";
import { commandMeasure } from "./measures-support/command-throughput.ts";
import { withScratchDesigns } from "./measures-support/scratch-designs.ts";
import { WRITER_COUNTS } from "./measures-support/writer-lanes.ts";

/** The target: at least 0.3x the raw INSERT with as many writers. */
const TARGET = 0.3;

export const crudCommand: Benchmark = {
  id: "crud-command",
  title: "CRUD command (load under lock, decide, write), 1 and 8 writers",
  kind: "measure",
  needs: ["baseline-insert"],
  async run(context) {
    return withScratchDesigns(context, "crud", async (designs) => {
      const measures: Measure[] = [];
      for (const writers of WRITER_COUNTS) {
        measures.push(
          await commandMeasure(context, designs, {
            design: "crud",
            writers,
            id: `crud.command.w${writers}`,
            label: `CRUD command (load under lock, decide, write), ${writers} writer${writers === 1 ? "" : "s"}`,
            operation: "handler.applyRaw: load the cart with its lines and discounts under its row lock, decide, write the changed rows and the intent message",
            target: TARGET,
          }),
        );
      }
      return measures;
    });
  },
};
