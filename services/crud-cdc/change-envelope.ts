import { z } from "zod";
import { LabError } from "../platform/errors.ts";
import type { ChangeEvent, ChangePosition, ChangeSource, ChangeTransaction, Row, TransactionBoundary } from "./change-event.ts";

/**
 * Debezium's PostgreSQL envelope, validated at the edge. The JSON converter may run with or
 * without schemas; with them the envelope sits under `payload`.
 */
const RowSchema = z.record(z.string(), z.unknown());
const SourceSchema = z.object({
  version: z.string().optional(),
  connector: z.string().optional(),
  db: z.string(),
  schema: z.string().nullish(),
  table: z.string().nullish(),
  lsn: z.number().int().nonnegative(),
  txId: z.number().int().nonnegative().nullish(),
  ts_ms: z.number().int(),
  // Debezium writes "true", "last", "first", "false" (or a boolean) while snapshotting.
  snapshot: z.union([z.string(), z.boolean()]).nullish(),
});

// Present with `provide.transaction.metadata=true`, null or absent without it.
const TransactionBlockSchema = z
  .object({
    id: z.string(),
    total_order: z.number().int().positive(),
    data_collection_order: z.number().int().positive(),
  })
  .nullish();

const RowEnvelopeSchema = z.object({
  op: z.enum(["c", "u", "d", "r"]),
  before: RowSchema.nullable(),
  after: RowSchema.nullable(),
  source: SourceSchema,
  ts_ms: z.number().int(),
  transaction: TransactionBlockSchema,
});

const MessageEnvelopeSchema = z.object({
  op: z.literal("m"),
  source: SourceSchema,
  ts_ms: z.number().int(),
  message: z.object({ prefix: z.string(), content: z.string().nullable() }),
  transaction: TransactionBlockSchema,
});

const TransactionRecordSchema = z.object({
  status: z.enum(["BEGIN", "END"]),
  id: z.string(),
  event_count: z.number().int().nonnegative().nullish(),
  data_collections: z.array(z.object({ data_collection: z.string(), event_count: z.number().int().nonnegative() })).nullish(),
  ts_ms: z.number().int().nullish(),
});

// `<txId>` in older Debezium versions, `<txId>:<lsn>` in 3.x on PostgreSQL.
const transactionIdPattern = /^(0|[1-9][0-9]*)(?::[0-9]+)?$/;

/** The PostgreSQL transaction named by a Debezium transaction id. */
function txIdOf(id: string): number {
  const match = transactionIdPattern.exec(id);
  const txId = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(txId)) throw new Error(`transaction id ${JSON.stringify(id)} does not read <txId> or <txId>:<lsn>`);
  return txId;
}

/** Only set when the record carries the block, so events without metadata keep their old shape. */
function withTransaction(block: z.infer<typeof TransactionBlockSchema>): { transaction?: ChangeTransaction } {
  if (block === null || block === undefined) return {};
  return { transaction: { id: block.id, txId: txIdOf(block.id), totalOrder: block.total_order, dataCollectionOrder: block.data_collection_order } };
}

function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "payload" in value && "schema" in value) {
    return (value as { payload: unknown }).payload;
  }
  return value;
}

function toSource(source: z.infer<typeof SourceSchema>): ChangeSource {
  if (!Number.isSafeInteger(source.lsn)) {
    throw new Error(`source.lsn ${source.lsn} is beyond 2^53 and cannot be compared exactly`);
  }
  return {
    lsn: source.lsn,
    txId: source.txId ?? null,
    committedAt: source.ts_ms,
    snapshot: source.snapshot !== undefined && source.snapshot !== null && source.snapshot !== false && source.snapshot !== "false",
    database: source.db,
    schema: source.schema ?? null,
    table: source.table ?? null,
  };
}

function parseJson(bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  return JSON.parse(bytes.toString("utf8")) as unknown;
}

/**
 * Decodes one Kafka record into a change event, or throws a `DecodeFailed` LabError naming the
 * record's topic, partition and offset: a poison message must stop the consumer, never vanish.
 */
export function decodeChangeRecord(record: { key: Buffer | null; value: Buffer | null }, position: ChangePosition): ChangeEvent {
  try {
    const key = unwrap(parseJson(record.key));
    const keyRow = key === null ? null : RowSchema.parse(key);
    if (record.value === null) return { kind: "tombstone", key: keyRow, position };
    const value = unwrap(parseJson(record.value));
    const op = value !== null && typeof value === "object" ? (value as { op?: unknown }).op : undefined;
    if (op === "m") {
      const envelope = MessageEnvelopeSchema.parse(value);
      return {
        kind: "message",
        op: "m",
        prefix: envelope.message.prefix,
        // The JSON converter writes the bytes of the message as base64.
        content: envelope.message.content === null ? "" : Buffer.from(envelope.message.content, "base64").toString("utf8"),
        source: toSource(envelope.source),
        emittedAt: envelope.ts_ms,
        position,
        ...withTransaction(envelope.transaction),
      };
    }
    const envelope = RowEnvelopeSchema.parse(value);
    return {
      kind: "row",
      op: envelope.op,
      key: keyRow as Row | null,
      before: envelope.before,
      after: envelope.after,
      source: toSource(envelope.source),
      emittedAt: envelope.ts_ms,
      position,
      ...withTransaction(envelope.transaction),
    };
  } catch (error) {
    throw decodeFailure("change record", error, position);
  }
}

/**
 * Decodes one record of Debezium's transaction metadata topic (BEGIN or END), or throws a
 * `DecodeFailed` LabError naming its topic, partition and offset.
 */
export function decodeTransactionRecord(record: { key: Buffer | null; value: Buffer | null }, position: ChangePosition): TransactionBoundary {
  try {
    if (record.value === null) throw new Error("the value is null, which no transaction record has");
    const value = TransactionRecordSchema.parse(unwrap(parseJson(record.value)));
    return {
      kind: "transaction",
      status: value.status,
      id: value.id,
      txId: txIdOf(value.id),
      eventCount: value.event_count ?? null,
      dataCollections: value.data_collections?.map((entry) => ({ dataCollection: entry.data_collection, eventCount: entry.event_count })) ?? null,
      committedAt: value.ts_ms ?? null,
      position,
    };
  } catch (error) {
    throw decodeFailure("transaction record", error, position);
  }
}

function decodeFailure(what: string, error: unknown, position: ChangePosition): LabError {
  const reason = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
  return new LabError("DecodeFailed", `undecodable ${what} at ${position.topic}[${position.partition}]@${position.offset}: ${reason}`, {
    cause: error,
    details: { ...position },
  });
}
