/**
 * Where a journal append's time goes, in parts measured side by side with the raw INSERT: the
 * event row inserted straight into the journal's events table (its shape alone: identity, four
 * indexes, defaults; no version check), the append function called directly (check, insert,
 * notification; nothing of the client's work), and the same function without its notification.
 * `journal.append` minus the function is the client's part; the function minus the direct insert
 * is the version check and the function call. Profile figures, with no target of their own.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { LabError } from "../services/platform/errors.ts";
import { appendFunctionDefinition, appendFunctionName } from "../services/event-sourced/append-function.ts";
import { journalSchema } from "../services/event-sourced/journal-schema.ts";
import type { JournalSchema } from "../services/event-sourced/journal-schema.ts";
import type { Benchmark, BenchContext, Measure } from "./harness/benchmark.ts";
import { measureOf } from "./measures-support/bench-measure.ts";
import { eventJson, itemAdded } from "./measures-support/cart-event-fixtures.ts";
import { requiredBaseline } from "./measures-support/required-baseline.ts";
import { holdConnections } from "./measures-support/scratch-schema.ts";
import { withScratchJournal } from "./measures-support/scratch-journal.ts";
import { STREAMS_PER_WRITER, repeatAppends } from "./measures-support/repeat-appends.ts";
import { WRITER_COUNTS, perOperationSettings, profiled } from "./measures-support/writer-lanes.ts";

/** As journal-append's: appends per timed repetition. */
const APPENDS = { quick: 400, full: 5_000 } as const;

type Part = "events-insert" | "append-function" | "append-function-no-notify";

const PARTS: Record<Part, { label: string; operation: string }> = {
  "events-insert": {
    label: "one event row INSERTed straight into the journal's events table (no version check, no function)",
    operation: "INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata) VALUES (...), autocommit",
  },
  "append-function": {
    label: "the journal's append function called directly, one event (version check, insert, pg_notify)",
    operation: "SELECT global_position FROM append_to_stream(stream, expected version, one-element arrays), autocommit",
  },
  "append-function-no-notify": {
    label: "the append function without its pg_notify, one event",
    operation: "the same function with the notification left out, created for this benchmark only",
  },
};

export const journalAppendAnatomy: Benchmark = {
  id: "journal-append-anatomy",
  title: "where a journal append's time goes: the events table alone, the append function, the function without NOTIFY",
  kind: "measure",
  needs: ["baseline-insert"],
  async run(context) {
    return withScratchJournal(context, "anatomy", Math.max(...WRITER_COUNTS), async ({ schema, pool, poolSize }) => {
      const names = journalSchema(schema);
      await pool.query(withoutNotify(names));
      const measures: Measure[] = [];
      for (const writers of WRITER_COUNTS) {
        for (const part of Object.keys(PARTS) as Part[]) measures.push(await partMeasure(context, pool, names, poolSize, writers, part));
      }
      return measures;
    });
  },
};

function noNotifyName(schema: JournalSchema): string {
  return `"${schema.name}".append_to_stream_no_notify`;
}

/** The journal's own function text with the notification left out: the same check and insert, measured without it. */
function withoutNotify(schema: JournalSchema): string {
  const definition = appendFunctionDefinition(schema);
  const notify = /PERFORM pg_notify\([^;]*\);/;
  if (!definition.includes(appendFunctionName(schema)) || !notify.test(definition)) {
    throw new LabError("ComponentFailed", "the append function no longer has the shape this benchmark takes apart (its name and one PERFORM pg_notify)");
  }
  return definition.replace(appendFunctionName(schema), noNotifyName(schema)).replace(notify, "NULL;");
}

function statementOf(schema: JournalSchema, part: Part): string {
  switch (part) {
    case "events-insert":
      return `INSERT INTO ${schema.events} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
              VALUES ($1, $2::int + 1, $3::uuid, $4, 1, $5::jsonb, $6::jsonb)`;
    case "append-function":
    case "append-function-no-notify": {
      const fn = part === "append-function" ? appendFunctionName(schema) : noNotifyName(schema);
      return `SELECT global_position FROM ${fn}($1, $2::int, ARRAY[$3::uuid], ARRAY[$4::text], ARRAY[1], ARRAY[$5::jsonb], ARRAY[$6::jsonb])`;
    }
    default: {
      const unknown: never = part;
      throw new LabError("UsageInvalid", `unknown part ${String(unknown)}`);
    }
  }
}

async function partMeasure(context: BenchContext, pool: pg.Pool, schema: JournalSchema, poolSize: number, writers: number, part: Part): Promise<Measure> {
  const appends = context.quick ? APPENDS.quick : APPENDS.full;
  const statement = { name: `bench-anatomy-${part}`, text: statementOf(schema, part) };
  return holdConnections(pool, writers, async (clients) => {
    const repeated = await repeatAppends(context, {
      name: `${part}, ${writers} writer(s)`,
      writers,
      appends,
      streamPrefix: `anatomy-${part}`,
      async appendAt(lane, stream, version) {
        const event = eventJson(itemAdded(stream, version));
        await (clients[lane] as pg.PoolClient).query({ ...statement, values: [stream, version, randomUUID(), "ItemAdded", event.data, event.metadata] });
        return version + 1;
      },
    });
    return profiled(measureOf(
      {
        id: `anatomy.${part}.w${writers}`,
        label: `${PARTS[part].label}, ${writers} writer${writers === 1 ? "" : "s"}`,
        unit: "appends/s",
        better: "higher",
        baseline: requiredBaseline(context, `baseline.insert.w${writers}`),
        settings: {
          operation: PARTS[part].operation,
          writers,
          poolSize,
          streams: writers * STREAMS_PER_WRITER,
          appendsPerRepetition: appends,
          preparedStatement: true,
          ...perOperationSettings(repeated.perOperation),
        },
      },
      repeated.samples,
    ), repeated);
  });
}
