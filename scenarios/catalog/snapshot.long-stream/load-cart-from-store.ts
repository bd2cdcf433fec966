import { toCartView } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { CdcAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { loadCart } from "../../../services/event-sourced/load-cart.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { CdcDriver, EsDriver, SubjectDriver } from "../../kit/drivers/subject-driver.ts";

/** One load of the cart: what it gave, and how many history records it read to give it. */
export interface CartLoad {
  view: CartView | null;
  /** Events read from the journal, or change events read from the topics; null for the CRUD rows, which keep no history. */
  recordsRead: number | null;
}

/**
 * The cart as the subject's own store gives it now. The journal loads as its command handler
 * does (`loadCart`: the latest snapshot, when there is one, plus the events after it); the CRUD
 * tables read the cart's rows; CDC replays its topics from their start, its only history.
 * `EsDriver.current` hides how many events its fold read, so the journal is called here
 * directly, through a journal that counts the rows it returns.
 */
export function loadCurrent(driver: SubjectDriver, cartId: string): Promise<CartLoad> {
  return byDesign<Promise<CartLoad>>(driver, {
    es: (journal) => loadFromJournal(journal, cartId, undefined),
    crud: async (tables) => ({ view: await tables.current(cartId), recordsRead: null }),
    cdc: (topics) => replayTopics(topics, cartId, null),
  });
}

/**
 * How the subject loads the cart as it was after `version` changes, or null where the design
 * keeps no past (the CRUD tables are changed in place). The journal's only snapshot is its
 * latest: whether it helps a past version is what the count of events read shows.
 */
export function pastLoader(driver: SubjectDriver): ((cartId: string, version: number) => Promise<CartLoad>) | null {
  return byDesign<((cartId: string, version: number) => Promise<CartLoad>) | null>(driver, {
    es: (journal) => (cartId, version) => loadFromJournal(journal, cartId, version),
    crud: () => null,
    cdc: (topics) => (cartId, version) => replayTopics(topics, cartId, { version }),
  });
}

async function loadFromJournal(driver: EsDriver, cartId: string, toVersion: number | undefined): Promise<CartLoad> {
  const counting = countingJournal(driver.journal);
  const loaded = await loadCart({ journal: counting.journal, snapshots: driver.snapshots }, cartId, toVersion === undefined ? {} : { toVersion });
  return { view: toCartView(loaded.state), recordsRead: counting.read() };
}

async function replayTopics(driver: CdcDriver, cartId: string, asOf: CdcAsOf | null): Promise<CartLoad> {
  const events = await driver.readChangeEvents();
  return { view: cdcStateAsOf(buildCdcHistory(events).get(cartId) ?? [], asOf), recordsRead: events.length };
}

/** The same journal, counting the events its stream reads return. */
function countingJournal(journal: EventJournal): { journal: EventJournal; read(): number } {
  let read = 0;
  return {
    journal: {
      appendToStream: (streamId, expectedVersion, events) => journal.appendToStream(streamId, expectedVersion, events),
      async readStream(streamId, options) {
        const events = await journal.readStream(streamId, options);
        read += events.length;
        return events;
      },
      streamVersion: (streamId) => journal.streamVersion(streamId),
      readAll: (options) => journal.readAll(options),
      readAllNaive: (afterPosition, limit) => journal.readAllNaive(afterPosition, limit),
    },
    read: () => read,
  };
}
