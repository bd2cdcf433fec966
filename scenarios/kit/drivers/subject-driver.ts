import type { Knex } from "knex";
import type pg from "pg";
import type { CartCommandResult, CartView } from "../../../services/cart/index.ts";
import type { CdcAuditEntry, CdcHistory, CdcTransaction } from "../../../services/crud-cdc/cdc-history.ts";
import type { CdcResourceNames, CdcTopics } from "../../../services/crud-cdc/cdc-variant.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import type { ChangeFeed } from "../../../services/crud-cdc/change-feed.ts";
import type { CartAuditEntry } from "../../../services/event-sourced/cart-audit.ts";
import type { CartHistoryEntry } from "../../../services/event-sourced/cart-history.ts";
import type { CartSummaryProjection } from "../../../services/event-sourced/cart-summary-projection.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import type { JournalSubscription } from "../../../services/event-sourced/journal-subscription.ts";
import type { SnapshotStore } from "../../../services/event-sourced/snapshot-store.ts";
import type { CdcSubjectSpec, CrudSubjectSpec, Design, EsSubjectSpec } from "../../model/subjects.ts";

/**
 * A driver is how a scenario step talks to one subject: it says *what* (apply this command,
 * the cart as of T, the history, who changed it), the driver knows *how* its design does it.
 * One driver per design; a step that needs a design-specific answer uses `byDesign`.
 */

/** A past moment of a cart: epoch milliseconds, or a version (1 = the cart's first change). */
export type AsOf = { at: number } | { version: number };

/**
 * Every name a subject gives what it creates starts from `subject` (`r<run>_s<scenario>_<subject>`),
 * so whatever a run leaves behind is found by its run's marker (runner/run-resources.ts). Name
 * consumer groups, extra tables or topics a scenario creates after it too.
 */
interface SubjectNames {
  subject: string;
}

interface DriverBase {
  /** The lab's database (the pool every part of this subject uses). */
  readonly pool: pg.Pool;
  /** One command through the subject's application, raw and validated at the edge as `apply` does. */
  apply(command: unknown, metadata: unknown): Promise<CartCommandResult>;
  /** What the application holds now: the journal's fold, or the CRUD tables. */
  current(cartId: string): Promise<CartView | null>;
  /** Removes everything the subject created (connector, slot, publication, schemas) and closes its pools; resolves with what could not be removed. */
  dispose(): Promise<string[]>;
}

export interface EsDriver extends DriverBase {
  readonly design: "es";
  readonly spec: EsSubjectSpec;
  readonly names: SubjectNames & { journalSchema: string };
  readonly journal: EventJournal;
  readonly snapshots: SnapshotStore;
  /** The cart_summaries read model (its checkpoint in the same transaction as its rows). */
  readonly projection: CartSummaryProjection;
  stateAt(cartId: string, asOf: AsOf): Promise<CartView | null>;
  history(cartId: string): Promise<CartHistoryEntry[]>;
  audit(cartId: string): Promise<CartAuditEntry[]>;
  /** The cart as the read model shows it (what an operator's query of cart_summaries sees). */
  readModelView(cartId: string): Promise<CartView | null>;
  /** Empties cart_summaries and projects every event again from the start of the journal. */
  rebuildReadModel(): Promise<void>;
  /** Keeps the read model up to date in the background, woken as the spec says (NOTIFY or polling). */
  startProjection(options?: { pollIntervalMs?: number }): Promise<JournalSubscription>;
}

export interface CrudDriver extends DriverBase {
  readonly design: "crud";
  readonly spec: CrudSubjectSpec;
  readonly names: SubjectNames & { crudSchema: string };
  readonly knex: Knex;
}

export interface CdcDriver extends DriverBase {
  readonly design: "cdc";
  readonly spec: CdcSubjectSpec;
  readonly names: SubjectNames & { crudSchema: string } & CdcResourceNames;
  readonly knex: Knex;
  readonly topics: CdcTopics;
  readonly changeFeed: ChangeFeed;
  /** Registers the connector (a no-op when it runs) and waits until its slot streams. */
  startConnector(): Promise<void>;
  /** Every change event the topics still hold, read from their start: the CDC design's only history. */
  readChangeEvents(): Promise<ChangeEvent[]>;
  /** Every cart's transactions, from one read of the topics. */
  history(): Promise<CdcHistory>;
  transactions(cartId: string): Promise<CdcTransaction[]>;
  stateAt(cartId: string, asOf: AsOf): Promise<CartView | null>;
  audit(cartId: string): Promise<CdcAuditEntry[]>;
}

export type SubjectDriver = EsDriver | CrudDriver | CdcDriver;

export type DriverOf<D extends Design> = Extract<SubjectDriver, { design: D }>;

/**
 * The one place a design-specific answer is chosen: a table with one entry per design, checked
 * by the compiler to be complete. Steps call this instead of branching on the design.
 */
export function byDesign<R>(driver: SubjectDriver, table: { [D in Design]: (driver: DriverOf<D>) => R }): R {
  switch (driver.design) {
    case "es":
      return table.es(driver);
    case "crud":
      return table.crud(driver);
    case "cdc":
      return table.cdc(driver);
    default: {
      const unknown: never = driver;
      throw new Error(`unknown design of ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Work only a CDC subject has (its connector, its topics): the journal and the CRUD tables have
 * nothing to do there. Resolves with undefined for them.
 */
export async function forCdc<R>(driver: SubjectDriver, work: (cdc: CdcDriver) => Promise<R>): Promise<R | undefined> {
  return byDesign<Promise<R | undefined>>(driver, { es: async () => undefined, crud: async () => undefined, cdc: work });
}
