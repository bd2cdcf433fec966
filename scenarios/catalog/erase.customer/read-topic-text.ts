import { createKafkaClient } from "../../../services/platform/kafka-client.ts";
import type { Logger } from "../../../services/platform/logger.ts";
import { readRecordsToEnd } from "../../../services/platform/read-records-to-end.ts";

/** One Kafka record as text, as an auditor with read access to the topic sees it. */
export interface TopicRecordText {
  topic: string;
  partition: number;
  offset: string;
  /** Key, value and headers decoded as UTF-8, in one string a text search can run over. */
  text: string;
}

/**
 * Every record Kafka still keeps on `topics`, from the oldest to the end they had when the call
 * began, undecoded: the erasure scan looks for a string in whatever a topic holds (a checkout
 * message, a change event), so it must not depend on a decoder that could reject a record. A
 * topic that does not exist holds nothing.
 */
export async function readTopicText(brokers: string[], logger: Logger, topics: readonly string[]): Promise<TopicRecordText[]> {
  const kafka = createKafkaClient({ brokers, logger, clientId: "cdc-es-lab-erasure-scan" });
  return (await readRecordsToEnd(kafka, topics, logger, "erasure scan")).map(({ record, position }) => {
    const headers = Object.entries(record.headers).map(([name, value]) => `${name}=${String(value)}`);
    return { ...position, text: [record.key?.toString("utf8") ?? "", record.value?.toString("utf8") ?? "", ...headers].join("\n") };
  });
}
