import { z } from "zod";
import { LabError } from "../../../services/platform/errors.ts";
import type { RawTopicReader, RawTopicRecord } from "./raw-topic-reader.ts";

/**
 * Kafka Connect's record of where a Debezium connector stands: on every offset flush (every
 * `offset.flush.interval.ms` while there is something new) the worker writes the source offset
 * of the last record the producer acknowledged to its offsets topic. A worker killed with -9
 * loses whatever it sent after the last of these, and Debezium resumes from that point.
 */
export const CONNECT_OFFSETS_TOPIC = "_connect_offsets";

export interface FlushedOffset {
  /** When the worker wrote the flush (the record's timestamp), epoch ms. */
  at: number;
  /** The LSN of the last change event the flush covers (Debezium's `lsn`). */
  lsn: number;
  /** The last LSN Debezium had processed (`lsn_proc`), where its resume logic skips to; `lsn` when absent. */
  processedLsn: number;
}

// Debezium's PostgreSQL offset; other fields (txId, ts_usec, messageType...) are not needed here.
const offsetValueSchema = z.object({ lsn: z.number().int(), lsn_proc: z.number().int().optional() }).loose();
const offsetKeySchema = z.tuple([z.string(), z.record(z.string(), z.unknown())]);

/** The connector's offset flushes, oldest first, decoded at the edge. */
export async function readFlushedOffsets(reader: RawTopicReader, connector: string): Promise<FlushedOffset[]> {
  return decodeFlushedOffsets(await reader.readToEnd(CONNECT_OFFSETS_TOPIC), connector);
}

export function decodeFlushedOffsets(records: readonly RawTopicRecord[], connector: string): FlushedOffset[] {
  const flushes: FlushedOffset[] = [];
  for (const record of records) {
    if (record.key === null || record.value === null) continue;
    const key = offsetKeySchema.safeParse(parseJson(record.key, record));
    // Other connectors share the topic; a null value is an offset reset, not a flush.
    if (!key.success || key.data[0] !== connector) continue;
    const value = offsetValueSchema.safeParse(parseJson(record.value, record));
    if (!value.success) {
      throw new LabError("DecodeFailed", `offset of ${connector} at ${CONNECT_OFFSETS_TOPIC}[${record.partition}]@${record.offset} is no Debezium PostgreSQL offset: ${value.error.message}`, {
        details: { topic: CONNECT_OFFSETS_TOPIC, partition: record.partition, offset: record.offset },
      });
    }
    flushes.push({ at: record.timestamp, lsn: value.data.lsn, processedLsn: value.data.lsn_proc ?? value.data.lsn });
  }
  return flushes.sort((a, b) => a.at - b.at);
}

function parseJson(text: string, record: RawTopicRecord): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LabError("DecodeFailed", `${CONNECT_OFFSETS_TOPIC}[${record.partition}]@${record.offset} is not JSON`, { cause: error, details: { offset: record.offset } });
  }
}

/** Gaps between consecutive flushes that fall inside [from, to]: the interval as the worker really kept it while changes flowed. */
export function flushGapsMs(flushes: readonly FlushedOffset[], from: number, to: number): number[] {
  const inside = flushes.filter((flush) => flush.at >= from && flush.at <= to);
  return inside.slice(1).map((flush, index) => flush.at - (inside[index] as FlushedOffset).at);
}
