import { logLevel } from "kafkajs";
import type { logCreator } from "kafkajs";
import type { Logger } from "./logger.ts";

/** kafkajs logs to the console by default; send it to the lab's structured stderr log instead. */
export function kafkajsLogCreator(logger: Logger): logCreator {
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

export const KAFKAJS_LOG_LEVEL = logLevel.WARN;
