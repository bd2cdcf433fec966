import type { CartView } from "../../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import { initialCheckpoint } from "../../../services/event-sourced/global-checkpoint.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { BAD_CENTS, BAD_VERSION } from "../../kit/bad-deploy.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver, EsDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import { cartsWithBadChange } from "./beyond-retention-run.ts";
import { completeHistorySince, oldestRetainedCommit, wholeCartHistory } from "./history-horizon.ts";

export interface RestorePlan {
  /** The cart as the design says it was just before the bad change; absent when its history no longer reaches back. */
  targets: Map<string, CartView | null>;
  badChangeInLog: boolean;
  oldestRecordAt: number | null;
}

/** What the journal says: it keeps every event, so every cart's past is there. */
async function planFromJournal(journal: EsDriver, affected: readonly string[], validAt: number): Promise<RestorePlan> {
  const targets = new Map<string, CartView | null>();
  let badChangeInLog = true;
  for (const cartId of affected) {
    const history = await journal.history(cartId);
    badChangeInLog &&= history.some((entry) => entry.type === "DiscountApplied" && entry.data["amountCents"] === BAD_CENTS && entry.metadata["actor"] === BAD_VERSION);
    if (history[0]?.streamVersion === 1) targets.set(cartId, await journal.stateAt(cartId, { at: validAt }));
  }
  const oldest = (await journal.journal.readAll({ after: initialCheckpoint(), limit: 1 })).events[0];
  return { targets, badChangeInLog, oldestRecordAt: oldest === undefined ? null : Date.parse(oldest.recordedAt) };
}

/** What the topics say: a cart's past is there only if retention has not deleted any of it. */
async function planFromTopics(cdc: CdcDriver, affected: readonly string[], validAt: number): Promise<RestorePlan> {
  const { topics } = cdc;
  const events = await cdc.readChangeEvents();
  const completeSince = completeHistorySince(events, [topics.carts, topics.cartItems, topics.cartDiscounts]);
  const history = buildCdcHistory(events);
  const targets = new Map<string, CartView | null>();
  for (const cartId of affected) {
    const transactions = history.get(cartId) ?? [];
    if (wholeCartHistory(transactions, completeSince)) targets.set(cartId, cdcStateAsOf(transactions, { at: validAt }));
  }
  const stillThere = cartsWithBadChange(events, new Set(affected));
  return { targets, badChangeInLog: affected.every((cartId) => stillThere.has(cartId)), oldestRecordAt: oldestRetainedCommit(events) };
}

/** Each affected cart as the design's own history says it was at `validAt`, where that history still reaches back. */
export function restorePlan(driver: SubjectDriver, affected: readonly string[], validAt: number): Promise<RestorePlan> {
  return byDesign(driver, {
    es: (journal) => planFromJournal(journal, affected, validAt),
    crud: () => Promise.reject(new LabError("Unsupported", "the CRUD tables alone keep no history to restore from")),
    cdc: (cdc) => planFromTopics(cdc, affected, validAt),
  });
}
