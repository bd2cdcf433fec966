import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { decide, initialCartState, parseCommandInput, rejectedResult } from "../../cart/index.ts";
import type { CartCommand, CartCommandResult, CommandMetadata } from "../../cart/index.ts";
import { LabError, describeError } from "../../platform/errors.ts";
import { cartIntent, cartIntentPrefix } from "./cart-intent.ts";
import { centsPriceColumns } from "./crud-cart-rows.ts";
import type { CrudPriceColumns } from "./crud-cart-rows.ts";
import { crudRowChanges } from "./crud-row-changes.ts";
import { crudTables } from "./crud-tables.ts";
import { insertCrudCartIfAbsent } from "./insert-crud-cart-if-absent.ts";
import { loadCrudCart } from "./load-crud-cart.ts";
import type { LoadedCrudCart } from "./load-crud-cart.ts";
import { writeCrudRowChanges } from "./write-crud-row-changes.ts";


export interface CrudCartHandlerDeps {
  knex: Knex;
  schema: string;
  /** `locked` takes the cart's row lock before reading; `naive` does not, to show lost updates. */
  mode: "locked" | "naive";
  /** `logical-message` emits the command's intent into the WAL in the same transaction. */
  intent: "off" | "logical-message";
  /** Time of a command that arrives raw (`applyRaw`); `handle` takes it from the metadata. */
  clock?: () => string;
  /**
   * The release this handler is, as far as the price is concerned: which `cart_items` column(s)
   * it writes and which it reads. Today's (`unit_price_cents`) when absent; a scenario that
   * migrates the table while the application runs deploys handlers with other columns.
   */
  prices?: CrudPriceColumns;
}

export interface CrudCartHandler {
  handle(command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult>;
  /** Validates a raw JSON command and its metadata first, as `apply` reads them from a file. */
  applyRaw(input: unknown, metadata: unknown): Promise<CartCommandResult>;
}

/** Thrown inside the transaction only to make knex roll it back; it never leaves this module. */
class RollBack extends Error {
  constructor(readonly result: CartCommandResult) {
    super("command rejected: rolled back");
  }
}

// Failures a second try can get past: serialization and deadlock, and a dropped connection.
const retriableSqlStates = /^(40001|40P01|08\d{3}|57P0[1-3])$/;

/**
 * Runs cart commands against design 1's tables: in one transaction, load the cart (one
 * statement), decide, write the events as row changes (one statement per table it changes and,
 * when asked, the intent as a logical decoding message), commit. An accepted command on an
 * existing cart is BEGIN, load, its writes, COMMIT. A rejected command rolls back, so it writes
 * nothing: no row, no outbox entry, no message.
 */
export function createCrudCartHandler(deps: CrudCartHandlerDeps): CrudCartHandler {
  const { knex, mode, intent } = deps;
  const schema = crudTables(deps.schema).schema;
  const clock = deps.clock ?? (() => new Date().toISOString());
  const prices = deps.prices ?? centsPriceColumns;

  async function load(trx: Knex.Transaction, command: CartCommand, at: string): Promise<LoadedCrudCart> {
    if (mode === "naive") return loadCrudCart(trx, schema, command.cartId, { lock: false, prices });
    const locked = await loadCrudCart(trx, schema, command.cartId, { lock: true, prices });
    // Only AddItem opens a cart; anything else on an unknown cart is rejected with nothing to lock.
    if (locked.cartRow !== "absent" || command.type !== "AddItem") return locked;
    // FOR UPDATE cannot lock a row that does not exist yet, so two first AddItems would both see
    // an empty cart. Creating the row makes them meet: the second waits on the first's insert,
    // inserts nothing, and then locks and reads the committed cart like any later writer.
    if (await insertCrudCartIfAbsent(trx, schema, command.cartId, at)) {
      return { state: initialCartState(), cartRow: "inserted" };
    }
    return loadCrudCart(trx, schema, command.cartId, { lock: true, prices });
  }

  async function handle(command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult> {
    try {
      return await knex.transaction(async (trx) => {
        const loaded = await load(trx, command, metadata.decidedAt);
        const decision = decide(command, loaded.state);
        if (!decision.ok) {
          throw new RollBack(rejectedResult(decision.rejection));
        }
        // Accepted but changing nothing (a repeated discount): nothing to write, nothing to explain.
        if (decision.events.length === 0) throw new RollBack({ ok: true });
        if (intent === "logical-message") {
          // Transactional, so it is decoded with this transaction's rows, under its txId, and only if it commits.
          await trx.raw("SELECT pg_logical_emit_message(true, ?, ?::text)", [
            cartIntentPrefix,
            JSON.stringify(cartIntent(command, metadata, decision.events)),
          ]);
        }
        const changes = crudRowChanges(command.cartId, loaded, decision.events, { at: metadata.decidedAt, newEventId: randomUUID, prices });
        await writeCrudRowChanges(trx, schema, changes);
        return { ok: true } as const;
      });
    } catch (error) {
      if (error instanceof RollBack) return error.result;
      const sqlState = (error as { code?: unknown }).code;
      throw new LabError("ComponentFailed", `${command.type} on cart ${command.cartId} failed: ${describeError(error)}`, {
        cause: error,
        details: { cartId: command.cartId, commandType: command.type, schema, mode, sqlState, priceColumns: prices.write.join("+") },
        retriable: typeof sqlState === "string" && retriableSqlStates.test(sqlState),
      });
    }
  }

  return {
    handle,
    async applyRaw(input, rawMetadata) {
      const parsed = parseCommandInput(input, rawMetadata, clock(), randomUUID);
      return parsed.ok ? handle(parsed.command, parsed.metadata) : parsed.result;
    },
  };
}
