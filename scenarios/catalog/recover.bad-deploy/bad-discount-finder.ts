import type { CdcHistory } from "../../../services/crud-cdc/cdc-history.ts";
import { decodeCartDiscount } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudTableNames, crudTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { decodeCartEvent, recordedIntent } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartIdOfStream } from "../../../services/event-sourced/cart-stream.ts";
import type { RecordedEvent } from "../../../services/event-sourced/event-journal.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { readWholeJournal } from "../../kit/subject-journal.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { CrudDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import { percent } from "../../kit/figures.ts";

/**
 * Finding the carts a bad deploy damaged, from what each design keeps. Every design lists the
 * discounts it can see as candidates; one rule selects among them. A candidate is excluded only
 * on what its design knows: a row with no time cannot be ruled out of the deploy's window, a
 * change with no actor cannot be ruled out as the deploy's.
 */
export interface DiscountCandidate {
  cartId: string;
  discountId: string;
  amountCents: number;
  /** When it was applied (epoch ms), or null when the design does not keep it. */
  at: number | null;
  /** Who applied it, or null when the design does not keep it. */
  actor: string | null;
}

export interface BadDeployCriteria {
  amountCents: number;
  /** When the bad version was live: after `from`, up to `to` (epoch ms). */
  window: { from: number; to: number };
  actor: string;
}

export interface FoundDiscount {
  cartId: string;
  discountId: string;
}

export function selectBadDiscounts(candidates: readonly DiscountCandidate[], criteria: BadDeployCriteria): FoundDiscount[] {
  const found = new Map<string, FoundDiscount>();
  for (const candidate of candidates) {
    if (candidate.amountCents !== criteria.amountCents) continue;
    if (candidate.at !== null && !(candidate.at > criteria.window.from && candidate.at <= criteria.window.to)) continue;
    if (candidate.actor !== null && candidate.actor !== criteria.actor) continue;
    found.set(JSON.stringify([candidate.cartId, candidate.discountId]), { cartId: candidate.cartId, discountId: candidate.discountId });
  }
  return [...found.values()].sort((a, b) => compare(a.cartId, b.cartId) || compare(a.discountId, b.discountId));
}

export interface FindingScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Percent of the found carts that were affected; null when nothing was found. */
  precision: number | null;
  /** Percent of the affected carts that were found; null when none was affected. */
  recall: number | null;
}

/** Precision and recall of a set of carts against the runner's truth. */
export function scoreFinding(found: Iterable<string>, truth: Iterable<string>): FindingScore {
  const foundSet = new Set(found);
  const truthSet = new Set(truth);
  const truePositives = [...foundSet].filter((cartId) => truthSet.has(cartId)).length;
  return {
    truePositives,
    falsePositives: foundSet.size - truePositives,
    falseNegatives: truthSet.size - truePositives,
    precision: percent(truePositives, foundSet.size),
    recall: percent(truePositives, truthSet.size),
  };
}

/** The journal keeps every DiscountApplied, with its recording time and its command's actor. */
export function journalCandidates(events: readonly RecordedEvent[]): DiscountCandidate[] {
  return events.flatMap((recorded) => {
    if (recorded.type !== "DiscountApplied" || cartIdOfStream(recorded.streamId) === null) return [];
    const event = decodeCartEvent(recorded);
    if (event.type !== "DiscountApplied") return [];
    return [{ cartId: event.cartId, discountId: event.discountId, amountCents: event.amountCents, at: Date.parse(recorded.recordedAt), actor: recordedIntent(recorded.metadata).actor }];
  });
}

/** The topics keep every row a discount ever had, with its commit time; the actor only when intent messages travel with it. */
export function topicCandidates(history: CdcHistory): DiscountCandidate[] {
  const candidates: DiscountCandidate[] = [];
  for (const [cartId, transactions] of history) {
    for (const transaction of transactions) {
      for (const change of transaction.changes) {
        if (change.table !== crudTableNames.cartDiscounts || change.op === "d" || change.after === null) continue;
        const discount = decodeCartDiscount(change.after);
        candidates.push({ cartId, discountId: discount.discountId, amountCents: discount.amountCents, at: transaction.committedAt, actor: transaction.intent?.actor ?? null });
      }
    }
  }
  return candidates;
}

/** The tables keep only the discounts a cart has now: no time, no actor, nothing revoked. */
export async function tableCandidates(tables: Pick<CrudDriver, "knex" | "names">): Promise<DiscountCandidate[]> {
  const rows: unknown[] = await tables.knex.withSchema(crudTables(tables.names.crudSchema).schema).from(crudTableNames.cartDiscounts).select("cart_id", "discount_id", "sku", "min_quantity", "amount_cents");
  return rows.map((row) => {
    const discount = decodeCartDiscount(row);
    const cartId = typeof row === "object" && row !== null && "cart_id" in row ? row.cart_id : undefined;
    if (typeof cartId !== "string") throw new LabError("DecodeFailed", "cart_discounts row without a cart_id", { details: { row } });
    return { cartId, discountId: discount.discountId, amountCents: discount.amountCents, at: null, actor: null };
  });
}

/** Every discount the subject's design can still see, with what it knows of each. */
export async function candidatesOf(driver: SubjectDriver): Promise<DiscountCandidate[]> {
  return byDesign(driver, {
    es: async (journal) => journalCandidates(await readWholeJournal(journal.journal)),
    crud: (tables) => tableCandidates(tables),
    // The CDC design finds what its topics keep, not what its tables hold now.
    cdc: async (cdc) => topicCandidates(await cdc.history()),
  });
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
