import { DEFAULT_DESIGNS, openCartDesigns } from "../designs/cart-designs.ts";
import type { CartDesigns } from "../designs/cart-designs.ts";
import { LabError } from "../platform/errors.ts";
import type { ComponentName, StackEndpoints } from "../runtime/runtime.ts";
import type { CartCommandContext } from "./cart-commands.ts";

export interface StackDesigns {
  designs: CartDesigns;
  endpoints: StackEndpoints;
}

/**
 * Both designs opened on the running stack, for the cart commands and the long-running ones
 * (`serve`, `ship`): refused when a component the command needs is down. The CDC design's
 * promise is that the application does not wait for the pipeline, so with the change feed down
 * the designs still open (writes need PostgreSQL only) and stderr says so: the connector's slot
 * keeps the WAL until it is back. The caller closes the designs.
 */
export async function openStackDesigns(context: CartCommandContext, needed: readonly ComponentName[]): Promise<StackDesigns> {
  const status = await context.runtime.status();
  const down = status.components.filter((component) => !component.up).map((component) => component.component);
  if (status.endpoints === null || needed.some((component) => down.includes(component))) {
    throw new LabError("NotRunning", `the stack is not up (down: ${down.join(", ")})`, { hint: "Start it with: cdc-es-lab up" });
  }
  const feedDown = (["kafka", "connect", "connector"] as const).filter((component) => down.includes(component));
  if (feedDown.length > 0) {
    process.stderr.write(
      `cdc-es-lab: note: the change feed is down (${feedDown.join(", ")}); writes go to PostgreSQL as usual, and Debezium streams them once it is back (its replication slot keeps the WAL meanwhile: see \`cdc-es-lab status\`)\n`,
    );
  }
  const designs = await openCartDesigns({
    endpoints: status.endpoints,
    logger: context.logger,
    ...DEFAULT_DESIGNS,
    // Registering the CDC connector needs Connect; with it down, the designs open without it.
    connectorStart: feedDown.length === 0 ? "now" : "deferred",
    readyTimeoutMs: context.config.readyTimeoutMs,
  });
  return { designs, endpoints: status.endpoints };
}
