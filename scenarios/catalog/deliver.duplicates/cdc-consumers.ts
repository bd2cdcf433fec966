import type { CartView } from "../../../services/cart/index.ts";
import { crudStateTables } from "../../../services/crud-cdc/crud/crud-tables.ts";
import { applyToCdcReadModel, migrateCdcReadModel, readCdcReadModelCart } from "../../../services/crud-cdc/cdc-read-model.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { sameView } from "../../kit/cart-record.ts";
import type { CdcDriver } from "../../kit/drivers/subject-driver.ts";
import { consumeWithDeaths } from "./mortal-consumer.ts";
import { applyToNaiveLineTally, lineDeltaOf, migrateNaiveLineTally, readNaiveLineTally } from "./naive-line-tally.ts";
import type { LineDelta } from "./naive-line-tally.ts";
import { kafkaPositionOf, sourcePositionOf } from "./source-position.ts";

/**
 * Two read models over one CDC subject's topics, each dying twice between applying a record and
 * committing it: the lab's idempotent one (a row applies only if its LSN is newer) and the naive
 * line tally. Both are then compared with the CRUD tables, cart by cart.
 */
export interface CdcConsumerFigures {
  cartsCompared: number;
  consumerRedeliveries: number;
  idempotentCartsWrong: number;
  idempotentSkipped: number;
  naiveCartsWrong: number;
  naiveDuplicatesApplied: number;
  naiveQuantityError: number;
  naiveDuplicateQuantity: number;
  /** Per line: the tally's error next to the quantity its duplicates carried, for the evidence table. */
  lines: NaiveLineFigure[];
}

export interface NaiveLineFigure {
  cartId: string;
  sku: string;
  crudQuantity: number;
  naiveQuantity: number;
  duplicateDelta: number;
}

/** Deaths per consumer: each life but the last dies after a third of the topics' records, so the deaths land mid-stream. */
export const CONSUMER_DEATHS = 2;

export async function measureCdcConsumers(cdc: CdcDriver, events: readonly ChangeEvent[], cartIds: readonly string[], timeoutMs: number): Promise<CdcConsumerFigures> {
  const schema = cdc.names.crudSchema;
  const until = new Set(events.map(kafkaPositionOf));
  // Each consumer dies after applying a third of the records that are its business.
  const dieAfter = (own: number) => Array.from({ length: CONSUMER_DEATHS }, () => Math.max(1, Math.floor(own / 3)));
  const base = { feed: cdc.changeFeed, topics: cdc.topics.all, until, timeoutMs };

  await migrateCdcReadModel(cdc.pool, schema);
  await migrateNaiveLineTally(cdc.pool, schema);
  let idempotentSkipped = 0;
  const applied: { source: string; line: LineDelta }[] = [];
  // Two services in their own consumer groups, running side by side as they would in production.
  const [, naive] = await Promise.all([
    consumeWithDeaths({
      ...base,
      groupId: `${cdc.names.connector}-idempotent`,
      dieAfter: dieAfter(events.filter(isStateRow).length),
      async apply(event) {
        const outcome = await applyToCdcReadModel(cdc.pool, schema, event);
        if (outcome === "stale") idempotentSkipped += 1;
        return outcome !== "ignored";
      },
    }),
    consumeWithDeaths({
      ...base,
      groupId: `${cdc.names.connector}-naive`,
      dieAfter: dieAfter(events.filter((event) => lineDeltaOf(event) !== null).length),
      async apply(event) {
        const line = lineDeltaOf(event);
        const source = sourcePositionOf(event);
        if (line === null || source === null) return false;
        await applyToNaiveLineTally(cdc.pool, schema, line);
        applied.push({ source, line });
        return true;
      },
    }),
  ]);

  // What the naive tally applied more than once, and the quantity those second copies carried, per line.
  const seen = new Set<string>();
  const duplicateDelta = new Map<string, number>();
  let naiveDuplicatesApplied = 0;
  for (const { source, line } of applied) {
    if (!seen.has(source)) {
      seen.add(source);
      continue;
    }
    naiveDuplicatesApplied += 1;
    const key = lineKey(line.cartId, line.sku);
    duplicateDelta.set(key, (duplicateDelta.get(key) ?? 0) + line.delta);
  }

  const tally = await readNaiveLineTally(cdc.pool, schema);
  let idempotentCartsWrong = 0;
  let naiveCartsWrong = 0;
  const lines: NaiveLineFigure[] = [];
  for (const cartId of cartIds) {
    const crud = await cdc.current(cartId);
    if (!sameView(await readCdcReadModelCart(cdc.pool, schema, cartId), crud)) idempotentCartsWrong += 1;
    const crudLines = quantities(crud);
    const naiveLines = tally.get(cartId) ?? new Map<string, number>();
    let wrong = false;
    for (const sku of [...new Set([...crudLines.keys(), ...naiveLines.keys()])].sort()) {
      const figureOfLine = { cartId, sku, crudQuantity: crudLines.get(sku) ?? 0, naiveQuantity: naiveLines.get(sku) ?? 0, duplicateDelta: duplicateDelta.get(lineKey(cartId, sku)) ?? 0 };
      if (figureOfLine.crudQuantity !== figureOfLine.naiveQuantity) wrong = true;
      if (figureOfLine.crudQuantity !== figureOfLine.naiveQuantity || figureOfLine.duplicateDelta !== 0) lines.push(figureOfLine);
    }
    if (wrong) naiveCartsWrong += 1;
  }
  return {
    cartsCompared: cartIds.length,
    consumerRedeliveries: naive.redelivered,
    idempotentCartsWrong,
    idempotentSkipped,
    naiveCartsWrong,
    naiveDuplicatesApplied,
    naiveQuantityError: lines.reduce((sum, line) => sum + Math.abs(line.naiveQuantity - line.crudQuantity), 0),
    naiveDuplicateQuantity: lines.reduce((sum, line) => sum + Math.abs(line.duplicateDelta), 0),
    lines,
  };
}

/** A change of one of the CRUD state tables: what the idempotent read model applies (not intent messages, not tombstones). */
function isStateRow(event: ChangeEvent): boolean {
  return event.kind === "row" && (crudStateTables as readonly (string | null)[]).includes(event.source.table);
}

function lineKey(cartId: string, sku: string): string {
  return JSON.stringify([cartId, sku]);
}

function quantities(view: CartView | null): Map<string, number> {
  return new Map((view?.items ?? []).map((line) => [line.sku, line.quantity] as const));
}
