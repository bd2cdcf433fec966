import { Kafka, logLevel } from "kafkajs";
import type { KafkaConfig, logCreator } from "kafkajs";
import type { Logger } from "./logger.ts";

/**
 * Every kafkajs client of the lab is made here, so each logs the same way. Only adapters call
 * it; kafkajs types go no further than them.
 */
export function createKafkaClient(options: { brokers: string[]; logger: Logger; clientId: string; overrides?: Partial<KafkaConfig> }): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(options.logger),
    ...options.overrides,
  });
}

/** kafkajs logs to the console by default; send it to the lab's structured stderr log instead. */
function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const child = logger.child({ component: "kafkajs", kafkajsLevel: logLevel[level] });
      // kafkajs logs at ERROR what it then retries (a topic whose leader is being elected, a
      // broker still starting). Failures that matter reach the lab as thrown errors or consumer
      // crashes and are reported there, so kafkajs' own lines are kept one level down.
      if (level === logLevel.ERROR || level === logLevel.WARN) child.info(fields, message);
      else child.debug(fields, message);
    };
}
