import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import { FIX_ACTOR, FIX_REASON } from "./deploy-commands.ts";

interface AuditedChange {
  actor: string | null;
  reason: string | null;
}

/** A cart's log entries after `since` (epoch ms), with who and why; null when the design keeps no log (the CRUD tables alone). */
function changesSince(driver: SubjectDriver, cartId: string, since: number): Promise<AuditedChange[] | null> {
  return byDesign<Promise<AuditedChange[] | null>>(driver, {
    es: async (journal) => (await journal.audit(cartId)).filter((entry) => Date.parse(entry.recordedAt) > since),
    crud: () => Promise.resolve(null),
    cdc: async (cdc) => (await cdc.audit(cartId)).filter((entry) => Date.parse(entry.committedAt) > since),
  });
}

/**
 * Whether the fix of each fixed cart is in the design's log with its actor and reason: every
 * entry the log holds after the fix began must name the operator and the fix's reason. null when
 * no cart needed a fix command.
 */
export async function fixAuditedIn(driver: SubjectDriver, fixed: ReadonlyMap<string, number>, fixStartedAt: number): Promise<boolean | null> {
  const touched = [...fixed].filter(([, commands]) => commands > 0).map(([cartId]) => cartId);
  if (touched.length === 0) return null;
  const byOperator = (entry: AuditedChange) => entry.actor === FIX_ACTOR && entry.reason === FIX_REASON;
  for (const cartId of touched) {
    const entries = await changesSince(driver, cartId, fixStartedAt);
    if (entries === null || entries.length === 0 || !entries.every(byOperator)) return false;
  }
  return true;
}
