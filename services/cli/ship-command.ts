import { describeError } from "../platform/errors.ts";
import { defaultShippingNames, startShippingService } from "../shipping/shipping-service.ts";
import type { CartCommandContext } from "./cart-commands.ts";
import { parseFlags } from "./cli-flags.ts";
import { openStackDesigns } from "./stack-designs.ts";
import { waitForSignal } from "./wait-for-signal.ts";

/**
 * `ship`: the shipping consumer as a long-running service on the running stack, until SIGINT or
 * SIGTERM (exit 0) or until the consumer or the publisher stops on an error (exit 1, naming it).
 */
export async function shipCommand(args: string[], context: CartCommandContext): Promise<number> {
  parseFlags(args, { runtime: { type: "string" } });
  const signals = waitForSignal((name) => process.stderr.write(`cdc-es-lab: ${name} again: exiting now\n`));
  try {
    const { designs, endpoints } = await openStackDesigns(context, ["postgres", "kafka", "connect"]);
    try {
      const names = defaultShippingNames();
      const service = await startShippingService({ endpoints, pool: designs.pool, names, logger: context.logger, readyTimeoutMs: context.config.readyTimeoutMs });
      process.stderr.write(
        `cdc-es-lab: shipping the checkouts of crud (${names.crudCheckoutTopic}, from ${names.crudSchema}.outbox by connector ${names.outboxConnector}) and es (${names.esCheckoutTopic}, from the journal in schema ${names.journalSchema}) into ${names.shippingSchema}.shipments as group ${names.groupId} (Ctrl-C stops)\n`,
      );
      const outcome = await Promise.race([signals.received.then((signal) => ({ signal })), service.ended.then((failure) => ({ failure }))]);
      if ("signal" in outcome) process.stderr.write(`cdc-es-lab: ${outcome.signal}: stopping the shipping consumer\n`);
      const counts = await service.counts().catch((error: unknown) => {
        // Only the closing summary is lost; the stop below still runs.
        context.logger.warn({ err: describeError(error) }, "could not read shipping's counts");
        return null;
      });
      await service.stop();
      if (counts !== null) process.stderr.write(`cdc-es-lab: shipping recorded ${counts.recorded} checkouts in all (${counts.duplicates} second copies absorbed)\n`);
      if ("failure" in outcome && outcome.failure !== null) throw outcome.failure;
    } finally {
      await designs.close();
    }
  } finally {
    signals.dispose();
  }
  return 0;
}
