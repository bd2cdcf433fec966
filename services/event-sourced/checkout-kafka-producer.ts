import { Partitioners } from "kafkajs";
import type { Producer } from "kafkajs";
import { LabError, describeError } from "../platform/errors.ts";
import { createKafkaClient } from "../platform/kafka-client.ts";
import type { Logger } from "../platform/logger.ts";
import type { MessageProducer } from "./checkout-publisher.ts";

export interface KafkaMessageProducerDeps {
  brokers: string[];
  logger: Logger;
  clientId?: string;
}

/** The `MessageProducer` over kafkajs. kafkajs types stay in this file. */
export function createKafkaMessageProducer(deps: KafkaMessageProducerDeps): MessageProducer {
  const kafka = createKafkaClient({ brokers: deps.brokers, logger: deps.logger, clientId: deps.clientId ?? "cdc-es-lab-checkout-publisher" });
  // The default partitioner (murmur2, as the Java client) keeps a cart on the partition any other
  // Kafka client would pick for it; naming it also silences kafkajs' v2 partitioner warning.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
  let connected: Promise<Producer> | null = null;
  const connect = (): Promise<Producer> => {
    connected ??= producer.connect().then(
      () => producer,
      (error: unknown) => {
        connected = null;
        throw new LabError("ComponentFailed", `checkout producer could not connect to ${deps.brokers.join(",")}: ${describeError(error)}`, {
          cause: error,
          retriable: true,
        });
      },
    );
    return connected;
  };

  return {
    async send(topic, messages) {
      const ready = await connect();
      try {
        // acks -1: acknowledged only once every in-sync replica has the batch, since the caller
        // moves its checkpoint past these events on that acknowledgement.
        await ready.send({
          topic,
          acks: -1,
          messages: messages.map((message) => ({ key: message.key, value: message.value, headers: { ...message.headers } })),
        });
      } catch (error) {
        throw new LabError("ComponentFailed", `sending ${messages.length} message(s) to ${topic} failed: ${describeError(error)}`, {
          cause: error,
          retriable: (error as { retriable?: unknown }).retriable === true,
          details: { topic, count: messages.length },
        });
      }
    },
    async disconnect() {
      if (connected === null) return;
      connected = null;
      await producer.disconnect();
    },
  };
}
