import { createLogger } from "../../../services/platform/logger.ts";
import { openCartDesigns } from "../../../services/designs/cart-designs.ts";
import type { CartDesigns } from "../../../services/designs/cart-designs.ts";
import type { CdcVariant } from "../../../services/crud-cdc/cdc-variant.ts";
import { cdcConnectorName } from "../../../services/crud-cdc/cdc-variant.ts";
import { dropSlotWhenReleased } from "../../../services/runtime/replication-slot.ts";
import { connectClient, stack, withPostgres } from "../support/stack.ts";
import { uniqueName } from "../support/test-lab.ts";

/** Both designs on fresh schemas and a CDC variant of their own, and how to take them away again. */
export async function openTestDesigns(variant: Partial<Omit<CdcVariant, "name" | "schema">> = {}, options: { crudMode?: "locked" | "naive"; maxConnections?: number } = {}) {
  const name = uniqueName("d");
  const full: CdcVariant = { name, schema: `${name}_crud`, replicaIdentity: "full", intent: true, retention: "full", ...variant };
  const designs: CartDesigns = await openCartDesigns({
    endpoints: stack(),
    logger: createLogger("warn"),
    crudSchema: full.schema,
    journalSchema: `${name}_journal`,
    variant: full,
    crudMode: options.crudMode,
    maxConnections: options.maxConnections,
  });
  return {
    designs,
    variant: full,
    async dispose() {
      await designs.close();
      await connectClient().deleteConnector(cdcConnectorName(full));
      await dropSlotWhenReleased(stack().postgresUrl, `cdc_${name}_slot`, 30_000);
      await withPostgres(async (client) => {
        await client.query(`DROP PUBLICATION IF EXISTS cdc_${name}_pub`);
        await client.query(`DROP SCHEMA IF EXISTS ${full.schema} CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS ${name}_journal CASCADE`);
      });
    },
  };
}
