/**
 * CDC's cost on the source: CRUD commands per second from one writer while Debezium streams the
 * tables, against the same with the connector stopped. Stopped is Connect's STOP (KIP-875): the
 * task shuts down and the replication slot is released (kept, not dropped), so PostgreSQL decodes
 * nothing for it. Not PAUSE: a paused task keeps Debezium's replication connection open and its
 * slot active, as storage.footprint observes, so it would not measure a source without CDC.
 */
import { waitFor } from "../services/platform/wait-for.ts";
import { waitForSlotActive } from "../services/runtime/replication-slot.ts";
import type { CartView } from "../services/cart/index.ts";
import { createConnectorControl } from "../scenarios/catalog/storage.footprint/connector-control.ts";
import type { ConnectorControl } from "../scenarios/catalog/storage.footprint/connector-control.ts";
import { replicationSlots } from "../scenarios/catalog/storage.footprint/postgres-accounting.ts";
import { planLoad } from "../scenarios/catalog/lag.read-model/load-plan.ts";
import { recordedViews } from "../scenarios/kit/cart-record.ts";
import type { CdcDriver } from "../scenarios/kit/drivers/subject-driver.ts";
import { waitForTopicsToHold } from "../scenarios/kit/topics-caught-up.ts";
import { generateCartWorkload } from "../scenarios/workload/cart-workload.ts";
import type { BenchContext, Benchmark } from "./harness/benchmark.ts";
import { stopIfInterrupted } from "./harness/repeat.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { cdcSubject, driverContext, withBenchSubjects } from "./measures-support/bench-subjects.ts";
import { writeInLanes } from "./measures-support/write-in-lanes.ts";

const COMMANDS = { quick: 200, full: 3_000 } as const;
const WARM_UP_COMMANDS = 100;
const WRITERS = 1;
const CARTS = 50;
const SEED = 3_000;
const SLOT_TIMEOUT_MS = 60_000;
/** Debezium's backlog from a stopped phase, on two shared cores. */
const CATCH_UP_TIMEOUT_MS = 300_000;

type Phase = "streaming" | "stopped";

export const benchmark: Benchmark = {
  id: "cdc-source-cost",
  title: "CDC's cost on the source: CRUD command throughput with the connector streaming versus stopped",
  kind: "measure",
  // Its baseline (the same writer with the connector stopped) is measured here.
  needs: [],
  async run(context) {
    const commands = context.quick ? COMMANDS.quick : COMMANDS.full;
    return withBenchSubjects(context, `${context.run}_srccost`, async (subjects) => {
      const cdc = await subjects.cdc(cdcSubject("cdc-plain"), "source");
      const source = createSource(context, cdc);
      await context.progress.step(`warm-up: ${WARM_UP_COMMANDS} commands, streaming`, () => source.write("streaming", WARM_UP_COMMANDS, "warm-"));
      const rates: Record<Phase, number[]> = { streaming: [], stopped: [] };
      for (let repetition = 0; repetition < context.repetitions; repetition += 1) {
        // Alternated, so a machine that gets busier or quieter during the run favours neither.
        const order: Phase[] = repetition % 2 === 0 ? ["streaming", "stopped"] : ["stopped", "streaming"];
        for (const phase of order) {
          stopIfInterrupted(context);
          rates[phase].push(
            await context.progress.step(
              `${commands} CRUD commands, ${WRITERS} writer, connector ${phase} (repetition ${repetition + 1} of ${context.repetitions})`,
              () => source.write(phase, commands, `rep${repetition}-${phase}-`),
              (rate) => `${Math.round(rate)}/s`,
            ),
          );
        }
      }
      // Resumed, so the subject is disposed as it was opened, and every change reached the topics.
      await source.streaming();
      const settings = {
        "commands per repetition": commands,
        writers: WRITERS,
        handler: "the CRUD handler (locked: one transaction, the cart's rows FOR UPDATE), commands that write and commands the rules reject, as the workload has them",
        "captured tables": "carts, cart_items, cart_discounts; REPLICA IDENTITY FULL in both phases (a table setting, not the connector's)",
        stopped: "Connect's STOP (KIP-875): task shut down, slot kept but released (inactive), so no logical decoding; not PAUSE, whose task keeps the slot active",
        streaming: "connector running with Debezium's defaults, caught up before the phase starts (its backlog from the stopped phase is not timed)",
        machine: "PostgreSQL, Kafka, Connect and the writer share the same cores: the streaming figure includes the JVMs' CPU, which production would run elsewhere",
      };
      const stopped = measureOf({ id: "source-cost.crud.w1.stopped", label: "CRUD commands/s, 1 writer, connector stopped (slot released)", unit: "commands/s", better: "higher", settings }, rates.stopped);
      const streaming = measureOf(
        { id: "source-cost.crud.w1.streaming", label: "CRUD commands/s, 1 writer, connector streaming", unit: "commands/s", better: "higher", baseline: stopped, settings },
        rates.streaming,
      );
      return [stopped, streaming];
    });
  },
};

export default benchmark;

interface Source {
  /** Writes `count` workload commands with the connector in `phase`; resolves with commands per second. */
  write(phase: Phase, count: number, cartPrefix: string): Promise<number>;
  /** The connector running, its slot active and its topics holding every cart written so far. */
  streaming(): Promise<void>;
}

function createSource(context: BenchContext, cdc: CdcDriver): Source {
  const { readyTimeoutMs } = driverContext(context);
  const control: ConnectorControl = createConnectorControl(context.endpoints.connectUrl, cdc.names.connector, readyTimeoutMs);
  const written = new Map<string, CartView | null>();
  let phase: Phase = "streaming";

  async function streaming(): Promise<void> {
    if (phase === "stopped") {
      await control.resume();
      await waitForSlotActive(context.endpoints.postgresUrl, cdc.names.slot, SLOT_TIMEOUT_MS);
      phase = "streaming";
    }
    await waitForTopicsToHold(cdc, written, CATCH_UP_TIMEOUT_MS);
  }

  async function stopped(): Promise<void> {
    if (phase === "stopped") return;
    await control.stop();
    await waitFor(async () => ((await replicationSlots(cdc.pool)).find((slot) => slot.slotName === cdc.names.slot)?.active === false ? true : undefined), {
      what: `slot ${cdc.names.slot} to be released after ${cdc.names.connector} stopped`,
      timeoutMs: SLOT_TIMEOUT_MS,
      intervalMs: 100,
    });
    phase = "stopped";
  }

  return {
    streaming,
    async write(wanted, count, cartPrefix) {
      await (wanted === "streaming" ? streaming() : stopped());
      const plan = planLoad(generateCartWorkload({ seed: SEED, carts: CARTS, commands: count, cartPrefix }));
      const rate = await writeInLanes(plan.commands, WRITERS, cdc.apply, "the CRUD handler");
      for (const [cartId, view] of recordedViews(plan.record)) written.set(cartId, view);
      return rate;
    },
  };
}
