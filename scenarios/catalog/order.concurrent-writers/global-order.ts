import { randomUUID } from "node:crypto";
import { decide, initialCartState, parseCommand } from "../../../services/cart/index.ts";
import { appendToStream } from "../../../services/event-sourced/append-to-stream.ts";
import { encodeCartEvent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import { createCartUpcasters } from "../../../services/event-sourced/cart-upcasters.ts";
import type { NewEvent } from "../../../services/event-sourced/event-journal.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { journalSchema } from "../../../services/event-sourced/journal-schema.ts";
import { inTransaction } from "../../../services/event-sourced/transaction.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import type { EsDriver } from "../../kit/drivers/subject-driver.ts";
import type { GlobalOrderPlan, ScenarioCommand } from "./concurrent-workload.ts";

export interface GlobalOrderFigures {
  /** Events the journal holds from part 2 on (every part-2 event, and nothing the readers could not see). */
  committed: number;
  naiveSkipped: number;
  safeSkipped: number;
  /** Per round: the slow append's position, and the highest position the naive poller had read before it committed. */
  rounds: { slowPosition: string; naiveReadUpTo: string }[];
}

const READ_LIMIT = 1_000;
const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * The journal's global order under real interleaving. Each round opens a transaction on a
 * connection of its own and appends the slow command's event (taking a position), then lets
 * fast commands commit through the application (taking higher positions), lets both readers
 * poll, and only then commits the slow append. The naive poller has moved past the slow
 * event's position by the time it becomes visible; the safe reader has not read past the open
 * transaction at all. Both start from where the journal stood before part 2.
 */
export async function measureGlobalOrder(es: EsDriver, plan: GlobalOrderPlan): Promise<GlobalOrderFigures> {
  const schema = journalSchema(es.names.journalSchema);
  const upcasters = createCartUpcasters();
  const start = await es.pool.query<{ position: string }>(`SELECT coalesce(max(global_position), 0)::text AS position FROM ${schema.events}`);
  const startPosition = start.rows[0]?.position ?? "0";

  // The naive poller: the highest position seen is its whole checkpoint.
  let naiveLast = startPosition;
  const naiveSeen = new Set<string>();
  const pollNaive = async (): Promise<number> => {
    const events = await es.journal.readAllNaive(naiveLast, READ_LIMIT);
    for (const event of events) {
      naiveSeen.add(event.eventId);
      if (BigInt(event.globalPosition) > BigInt(naiveLast)) naiveLast = event.globalPosition;
    }
    return events.length;
  };
  // The safe reader: (transaction id, position), below the oldest transaction still running.
  let safeAfter = initialCheckpoint();
  const safeSeen = new Set<string>();
  const pollSafe = async (): Promise<void> => {
    for (;;) {
      const batch = await es.journal.readAll({ after: safeAfter, limit: READ_LIMIT });
      for (const event of batch.events) if (BigInt(event.globalPosition) > BigInt(startPosition)) safeSeen.add(event.eventId);
      safeAfter = batch.checkpoint;
      if (batch.events.length < READ_LIMIT) return;
    }
  };
  await pollSafe();

  const rounds: GlobalOrderFigures["rounds"] = [];
  for (const round of plan.rounds) {
    const slow = await es.pool.connect();
    try {
      const slowPosition = await inTransaction(slow, async () => {
        const appended = await appendToStream(slow, schema, upcasters, cartStreamId(cartIdOf(round.slow)), "no_stream", slowEvents(round.slow));
        for (const fast of round.fast) {
          const result = await es.apply(fast.command, fast.metadata);
          if (!result.ok) throw new LabError("ComponentFailed", `a fast command of part 2 was rejected: ${result.error.code} ${result.error.message}`);
        }
        await pollNaive();
        await pollSafe();
        return appended.events[0]?.globalPosition ?? "?";
      });
      rounds.push({ slowPosition, naiveReadUpTo: naiveLast });
    } finally {
      slow.release();
    }
  }

  const committedRows = await es.pool.query<{ event_id: string }>(`SELECT event_id::text FROM ${schema.events} WHERE global_position > $1::bigint`, [startPosition]);
  const committed = committedRows.rows.map((row) => row.event_id);
  // The safe reader waits for every transaction older than its snapshot's xmin to end, in the
  // whole cluster: a defined end state is "it has returned every committed event".
  await waitFor(
    async () => {
      await pollSafe();
      return committed.every((eventId) => safeSeen.has(eventId)) ? true : undefined;
    },
    {
      what: "the safe reader to return every committed event of part 2",
      timeoutMs: CATCH_UP_TIMEOUT_MS,
      intervalMs: 100,
      onTimeout: () => ({ missing: committed.filter((eventId) => !safeSeen.has(eventId)).length }),
    },
  );
  // Everything has committed: what the naive poller does not get now, it never gets.
  while ((await pollNaive()) === READ_LIMIT);

  return {
    committed: committed.length,
    naiveSkipped: committed.filter((eventId) => !naiveSeen.has(eventId)).length,
    safeSkipped: committed.filter((eventId) => !safeSeen.has(eventId)).length,
    rounds,
  };
}

function cartIdOf(entry: ScenarioCommand): string {
  return String(entry.command["cartId"]);
}

/** The slow command decided by the rules on its new cart, encoded as the handler would append it. */
function slowEvents(entry: ScenarioCommand): NewEvent[] {
  const parsed = parseCommand(entry.command);
  if (!parsed.ok) throw new LabError("UsageInvalid", `the slow command of part 2 is invalid: ${parsed.rejection.message}`);
  const decision = decide(parsed.command, initialCartState());
  if (!decision.ok) throw new LabError("UsageInvalid", `the slow command of part 2 was rejected: ${decision.rejection.message}`);
  const metadata = { actor: entry.metadata.actor, reason: null, correlationId: randomUUID(), decidedAt: new Date().toISOString() };
  return decision.events.map((event) => encodeCartEvent(event, metadata));
}
