import { randomUUID } from "node:crypto";
import { buildCdcHistory, cdcStateAsOf } from "../crud-cdc/cdc-history.ts";
import type { ChangeEvent } from "../crud-cdc/change-event.ts";
import type { ChangeSubscription } from "../crud-cdc/change-feed.ts";
import type { CartDesigns, WriteDesign } from "../designs/cart-designs.ts";
import { describeError, isLabError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import type { EventStream } from "./event-stream.ts";
import type { JournalWatch } from "./journal-watch.ts";
import { liveChange, liveJournalEvent } from "./live-messages.ts";
import type { LiveState } from "./live-messages.ts";

/**
 * One live page's view of one cart, pushed over its event stream until the client goes:
 * - es: the journal watch hands over the cart's events as they are appended (NOTIFY); the
 *   state is loaded again after each batch;
 * - cdc: a Kafka consumer of its own (a throw-away group, from the topics' start) hands over
 *   the cart's change events; the state is replayed from them, as `state --design cdc` does;
 * - crud: the tables are read again whenever a change event of the cart arrives, or a command
 *   for it went through this server (sooner than Debezium can say so).
 * Everything it opened is closed when the stream closes.
 */
export interface LiveCartDeps {
  cartId: string;
  stream: EventStream;
  designs: Pick<CartDesigns, "state" | "changeFeed">;
  journalWatch: JournalWatch;
  /** The CDC variant's change-event topics (rows and intent messages). */
  cdcTopics: string[];
  /** Tells the feed of commands this server applied: returns the function that stops telling. */
  onLocalChange: (cartId: string, listener: (design: WriteDesign) => void) => () => void;
  /** Removes a stopped consumer's group, so pages leave no groups behind on the broker. */
  forgetGroup: (groupId: string) => Promise<void>;
  logger: Logger;
}

/** Change events of a replay arrive in bursts: the CDC state is rebuilt once per burst. */
const CDC_STATE_DEBOUNCE_MS = 50;

export interface LiveCartFeed {
  /** Settles once the stream closed and everything the feed opened is closed too. */
  readonly done: Promise<void>;
}

export function streamLiveCart(deps: LiveCartDeps): LiveCartFeed {
  const { cartId, stream, designs } = deps;
  const log = deps.logger.child({ component: "live-cart", cartId });
  const cleanUps: (() => void | Promise<void>)[] = [];
  // What is still being opened: the close waits for it, then closes it too.
  const opening: Promise<unknown>[] = [];
  const problem = (design: string, error: unknown) => {
    const code = isLabError(error) ? error.code : "ComponentFailed";
    log.warn({ design, code, err: describeError(error) }, "live feed problem");
    stream.send("problem", { design, code, message: isLabError(error) ? error.message : "the server failed unexpectedly; its log says why" });
  };
  const sendState = (state: LiveState) => stream.send("state", state);

  // One read of a design's state at a time, and one more if asked meanwhile: states are never
  // pushed out of order, and a burst of changes costs two reads, not one per change.
  const running = new Set<WriteDesign>();
  const again = new Set<WriteDesign>();
  const refresh = (design: WriteDesign): void => {
    if (stream.closed) return;
    if (running.has(design)) {
      again.add(design);
      return;
    }
    running.add(design);
    void (async () => {
      do {
        again.delete(design);
        try {
          sendState({ design, view: await designs.state(design, cartId, null) });
        } catch (error) {
          problem(design, error);
        }
      } while (again.has(design) && !stream.closed);
      running.delete(design);
    })();
  };

  refresh("crud");
  refresh("es");
  cleanUps.push(deps.onLocalChange(cartId, refresh));

  const watching = deps.journalWatch
    .watch(cartId, {
      onEntries(entries) {
        for (const entry of entries) stream.send("journal", liveJournalEvent(entry));
        refresh("es");
      },
      onFailure(error) {
        stream.send("feed", { design: "es", status: "failed" });
        problem("es", error);
      },
    })
    .then(
      (stop) => {
        cleanUps.push(stop);
        stream.send("feed", { design: "es", status: "live" });
      },
      (error: unknown) => {
        stream.send("feed", { design: "es", status: "failed" });
        problem("es", error);
      },
    );
  opening.push(watching);

  const cdcEvents: ChangeEvent[] = [];
  let cdcTimer: NodeJS.Timeout | null = null;
  const rebuildCdcState = () => {
    cdcTimer = null;
    try {
      sendState({ design: "cdc", view: cdcStateAsOf(buildCdcHistory(cdcEvents).get(cartId) ?? [], null) });
    } catch (error) {
      problem("cdc", error);
    }
  };
  cleanUps.push(() => {
    if (cdcTimer !== null) clearTimeout(cdcTimer);
  });

  // The consumer below cannot tell when its replay has caught up, so the first CDC state comes
  // from one read of the topics to their end; once the consumer delivered anything of the cart,
  // its state is the newer one and this read's is dropped.
  opening.push(
    designs.state("cdc", cartId, null).then(
      (view) => {
        if (cdcEvents.length === 0) sendState({ design: "cdc", view });
      },
      (error: unknown) => problem("cdc", error),
    ),
  );

  const groupId = `cdc-es-lab-live-${randomUUID()}`;
  stream.send("feed", { design: "cdc", status: "connecting" });
  const subscribing = designs.changeFeed
    .subscribe({ groupId, topics: deps.cdcTopics, fromBeginning: true }, async (event) => {
      if (stream.closed) return;
      const change = liveChange(event, cartId);
      if (change === null) return;
      cdcEvents.push(event);
      stream.send("change", change);
      if (change.kind === "row") refresh("crud");
      cdcTimer ??= setTimeout(rebuildCdcState, CDC_STATE_DEBOUNCE_MS);
    })
    .then(
      (subscription: ChangeSubscription) => {
        const stop = async () => {
          await subscription.stop();
          await deps.forgetGroup(groupId);
        };
        void subscription.ended.then((error) => {
          if (error === null || stream.closed) return;
          stream.send("feed", { design: "cdc", status: "failed" });
          problem("cdc", error);
        });
        cleanUps.push(stop);
        stream.send("feed", { design: "cdc", status: "live" });
      },
      (error: unknown) => {
        stream.send("feed", { design: "cdc", status: "failed" });
        problem("cdc", error);
      },
    );
  opening.push(subscribing);

  const done = new Promise<void>((resolve) => {
    stream.onClose(() => {
      void (async () => {
        await Promise.allSettled(opening);
        for (const cleanUp of cleanUps.splice(0).reverse()) {
          try {
            await cleanUp();
          } catch (error) {
            // The page is gone either way; what did not close is the server log's to say.
            log.warn({ err: describeError(error) }, "a live feed did not close cleanly");
          }
        }
        resolve();
      })();
    });
  });
  return { done };
}
