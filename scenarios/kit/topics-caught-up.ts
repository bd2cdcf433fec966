import type { CartView } from "../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../services/crud-cdc/cdc-history.ts";
import type { CdcHistory } from "../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent } from "../../services/crud-cdc/change-event.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import { recordedViews, sameView } from "./cart-record.ts";
import type { CartRecord } from "./cart-record.ts";
import type { ScenarioStep } from "../model/scenario.ts";
import { forCdc } from "./drivers/subject-driver.ts";
import type { CdcDriver, SubjectDriver } from "./drivers/subject-driver.ts";

/** One read of a CDC subject's topics: the change events as read, and the history built from them. */
export interface TopicsRead {
  events: ChangeEvent[];
  history: CdcHistory;
}

const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Waits (bounded) until a CDC subject's topics, replayed from their start, give `expected` for
 * every cart: Debezium streams asynchronously, and a question asked of the topics before they
 * hold the last commit would blame the design for the connector's lag. Resolves with that read.
 */
export async function waitForTopicsToHold(cdc: CdcDriver, expected: ReadonlyMap<string, CartView | null>, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<TopicsRead> {
  let behind: string[] = [];
  return waitFor(
    async () => {
      const events = await cdc.readChangeEvents();
      const history = buildCdcHistory(events);
      behind = [...expected].filter(([cartId, view]) => !sameView(cdcStateAsOf(history.get(cartId) ?? [], null), view)).map(([cartId]) => cartId);
      return behind.length === 0 ? { events, history } : undefined;
    },
    { what: `the topics of ${cdc.spec.id} to hold ${expected.size} carts`, timeoutMs, intervalMs: 500, onTimeout: () => ({ cartsBehind: behind.slice(0, 10) }) },
  );
}

/**
 * Waits until a subject's own history holds these carts. The journal and the CRUD tables hold a
 * command's effect once the command returned; only a CDC subject's topics trail its
 * application, so only they are waited for. Steps call this instead of a table of no-ops.
 */
export async function waitForHistoryToHold(driver: SubjectDriver, expected: ReadonlyMap<string, CartView | null>, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<void> {
  await forCdc(driver, (cdc) => waitForTopicsToHold(cdc, expected, timeoutMs));
}

/**
 * The step before a question about the present or the past: Debezium streams every change to
 * the topics, and the runner waits until every subject's own history holds the record's carts.
 */
export function historyCaughtUpStep<S>(recordOf: (state: S) => CartRecord): ScenarioStep<S> {
  return {
    actor: "debezium",
    does: "streams every change to the topics (CDC); the runner waits until they hold every cart",
    async run(context) {
      const expected = recordedViews(recordOf(context.state));
      await context.each((subject) => waitForHistoryToHold(subject.driver, expected));
    },
  };
}
