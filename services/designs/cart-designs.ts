import type { Knex } from "knex";
import type pg from "pg";
import { toCartView } from "../cart/index.ts";
import type { CartCommand, CartCommandResult, CartView, CommandMetadata } from "../cart/index.ts";
import { buildCdcHistory, cdcAudit, cdcStateAsOf } from "../crud-cdc/cdc-history.ts";
import type { CdcAuditEntry, CdcHistory, CdcTransaction } from "../crud-cdc/cdc-history.ts";
import { cdcTopics, ensureCdcConnector } from "../crud-cdc/cdc-variant.ts";
import type { CdcVariant } from "../crud-cdc/cdc-variant.ts";
import type { ChangeFeed } from "../crud-cdc/change-feed.ts";
import { createCrudKnex } from "../crud-cdc/crud/create-crud-knex.ts";
import { createCrudCartHandler } from "../crud-cdc/crud/crud-command-handler.ts";

import { migrateCrudSchema } from "../crud-cdc/crud/migrate-crud-schema.ts";
import { readCrudCart } from "../crud-cdc/crud/read-crud-state.ts";
import { createKafkaChangeFeed } from "../crud-cdc/kafka-change-feed.ts";
import { cartAudit } from "../event-sourced/cart-audit.ts";
import type { CartAuditEntry } from "../event-sourced/cart-audit.ts";
import { cartHistory } from "../event-sourced/cart-history.ts";
import type { CartHistoryEntry } from "../event-sourced/cart-history.ts";
import { createCartUpcasters } from "../event-sourced/cart-upcasters.ts";
import { createEventSourcedCartHandler } from "../event-sourced/event-sourced-cart-handler.ts";
import type { PersonalDataMode } from "../event-sourced/journal-personal-data.ts";
import { migrateJournal } from "../event-sourced/migrate-journal.ts";
import { createPostgresEventJournal } from "../event-sourced/postgres-event-journal.ts";
import { createPostgresSnapshotStore } from "../event-sourced/postgres-snapshot-store.ts";
import { loadCart } from "../event-sourced/load-cart.ts";
import { stateAt } from "../event-sourced/state-at.ts";
import { LabError } from "../platform/errors.ts";
import { createPostgresPool } from "../platform/postgres-pool.ts";
import type { Logger } from "../platform/logger.ts";
import { createHttpConnectClient } from "../runtime/connect-client.ts";
import type { StackEndpoints } from "../runtime/runtime.ts";

/**
 * Both designs of the cart, wired to a running stack: design 1's tables and its Debezium
 * connector, design 2's journal. The CLI and the tests open it; its parts stay swappable.
 */
export type WriteDesign = "crud" | "es";
export type ReadDesign = WriteDesign | "cdc";
export type AsOf = { at: string } | { version: number } | null;

export interface CartDesignsOptions {
  endpoints: StackEndpoints;
  logger: Logger;
  crudSchema: string;
  journalSchema: string;
  variant: CdcVariant;
  /** `deferred`: the connector is registered only by `startCdc()`, as when CDC is adopted late. */
  connectorStart?: "now" | "deferred";
  /** Locking CRUD handler (the default) or the naive one that shows lost updates. */
  crudMode?: "locked" | "naive";
  maxConnections?: number;
  readyTimeoutMs?: number;
  /** How the journal stores a customer's personal data: sealed per customer (default) or plaintext (naive). */
  personalData?: PersonalDataMode;
}

/** What the CLI uses unless told otherwise: the best CDC can do (full before-images, intent messages). */
export const DEFAULT_DESIGNS = {
  crudSchema: "crud",
  journalSchema: "journal",
  variant: { name: "crud_full_intent", schema: "crud", replicaIdentity: "full", intent: true, retention: "full" },
} as const satisfies Pick<CartDesignsOptions, "crudSchema" | "journalSchema" | "variant">;

export interface CartDesigns {
  handle(design: WriteDesign, command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult>;
  applyRaw(design: WriteDesign, input: unknown, metadata: unknown): Promise<CartCommandResult>;
  state(design: ReadDesign, cartId: string, asOf: AsOf): Promise<CartView | null>;
  history(design: "es", cartId: string): Promise<CartHistoryEntry[]>;
  cdcTransactions(cartId: string): Promise<CdcTransaction[]>;
  /** Every cart's CDC history from one read of the topics. */
  cdcHistory(): Promise<CdcHistory>;
  audit(design: "es", cartId: string): Promise<CartAuditEntry[]>;
  cdcAudit(cartId: string): Promise<CdcAuditEntry[]>;
  /** Registers the variant's connector (a no-op when it already runs) and waits for it to stream. */
  startCdc(): Promise<void>;
  readonly changeFeed: ChangeFeed;
  readonly knex: Knex;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** The CRUD tables are changed in place: asking them for the past is a clear error, never a guess. */
export function crudHasNoPast(): LabError {
  return new LabError("Unsupported", "the CRUD tables keep only the present: they cannot say what a cart was at a past time or version", {
    hint: "Ask --design cdc (replayed from Debezium's topics) or --design es (the journal).",
  });
}

export async function openCartDesigns(options: CartDesignsOptions): Promise<CartDesigns> {
  const { endpoints, logger } = options;
  const startCdc = () => ensureCdcConnector(createHttpConnectClient(endpoints.connectUrl), options.variant, endpoints.connectorDatabase, options.readyTimeoutMs ?? 120_000);
  const knex = createCrudKnex({ postgresUrl: endpoints.postgresUrl, maxConnections: options.maxConnections ?? 10 });
  const pool = createPostgresPool({ connectionString: endpoints.postgresUrl, max: options.maxConnections ?? 10, logger, name: options.journalSchema });
  try {
    await migrateCrudSchema(knex, { schema: options.crudSchema, replicaIdentity: options.variant.replicaIdentity });
    const client = await pool.connect();
    try {
      await migrateJournal(client, options.journalSchema);
    } finally {
      client.release();
    }
    if ((options.connectorStart ?? "now") === "now") await startCdc();
  } catch (error) {
    await Promise.all([knex.destroy(), pool.end()]);
    throw error;
  }

  const personalData = options.personalData ?? "encrypted";
  const journal = createPostgresEventJournal({ pool, schema: options.journalSchema, upcasters: createCartUpcasters(), personalData });
  const snapshots = createPostgresSnapshotStore({ pool, schema: options.journalSchema, personalData });
  const handlers = {
    crud: createCrudCartHandler({ knex, schema: options.crudSchema, mode: options.crudMode ?? "locked", intent: options.variant.intent ? "logical-message" : "off" }),
    es: createEventSourcedCartHandler({ journal, snapshots, logger }),
  };
  const changeFeed = createKafkaChangeFeed({ brokers: endpoints.kafkaBrokers, logger });
  const topics = cdcTopics(options.variant);

  async function cdcHistory(): Promise<CdcHistory> {
    // Kafka is this design's only history: every question about the past replays it from the start.
    return buildCdcHistory(await changeFeed.readToEnd(topics.all));
  }

  async function cdcTransactions(cartId: string): Promise<CdcTransaction[]> {
    return (await cdcHistory()).get(cartId) ?? [];
  }

  return {
    handle: (design, command, metadata) => handlers[design].handle(command, metadata),
    applyRaw: (design, input, metadata) => handlers[design].applyRaw(input, metadata),
    async state(design, cartId, asOf) {
      switch (design) {
        case "crud":
          if (asOf !== null) throw crudHasNoPast();
          return readCrudCart(knex, options.crudSchema, cartId);
        case "es":
          if (asOf === null) return toCartView((await loadCart({ journal, snapshots }, cartId)).state);
          return stateAt({ journal, snapshots }, cartId, asOf);
        case "cdc": {
          const transactions = await cdcTransactions(cartId);
          if (asOf === null) return cdcStateAsOf(transactions, null);
          return cdcStateAsOf(transactions, "at" in asOf ? { at: Date.parse(asOf.at) } : asOf);
        }
        default: {
          const unknown: never = design;
          throw new LabError("UsageInvalid", `unknown design ${String(unknown)}`);
        }
      }
    },
    history: (_design, cartId) => cartHistory(journal, cartId),
    cdcTransactions,
    cdcHistory,
    startCdc,
    audit: (_design, cartId) => cartAudit(journal, cartId),
    cdcAudit: async (cartId) => cdcAudit(await cdcTransactions(cartId)),
    changeFeed,
    knex,
    pool,
    async close() {
      await Promise.all([knex.destroy(), pool.end()]);
    },
  };
}
