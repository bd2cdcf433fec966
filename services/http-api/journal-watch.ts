import type { Pool } from "pg";
import type { CartHistoryEntry } from "../event-sourced/cart-history.ts";
import { startJournalSubscription } from "../event-sourced/journal-subscription.ts";
import type { JournalSubscription } from "../event-sourced/journal-subscription.ts";
import { LabError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";

/**
 * The journal's events of the carts live pages watch, pushed as they are appended. One
 * subscription (one LISTEN connection, woken by the append's NOTIFY, with its polling fallback)
 * serves every page, so a dozen open pages do not hold a dozen of the pool's connections.
 * Each watcher gets every event of its cart exactly once, in version order, from version 1.
 */
export interface JournalWatchDeps {
  pool: Pool;
  journalSchema: string;
  /** The cart's events, oldest first (`CartDesigns.history`). */
  readCart: (cartId: string) => Promise<CartHistoryEntry[]>;
  logger: Logger;
  /** Longest pause between two looks when no NOTIFY arrives. Default 1000 ms. */
  pollIntervalMs?: number;
}

export interface JournalWatcher {
  onEntries(entries: CartHistoryEntry[]): void;
  /** The subscription stopped on an error; this watcher gets nothing more. */
  onFailure(error: LabError): void;
}

export interface JournalWatch {
  /** Starts delivering the cart's events (those already there first); resolves with the function that stops it. */
  watch(cartId: string, watcher: JournalWatcher): Promise<() => void>;
  close(): Promise<void>;
}

interface Watching {
  cartId: string;
  watcher: JournalWatcher;
  /** The last version handed to the watcher. */
  delivered: number;
}

export function createJournalWatch(deps: JournalWatchDeps): JournalWatch {
  const watching = new Set<Watching>();
  let subscription: Promise<JournalSubscription> | null = null;
  let closed = false;

  // Delivery and the move of `delivered` happen with no await between them, so a pass and a
  // watcher's first read racing each other can neither repeat nor skip a version.
  const deliver = (entry: Watching, entries: readonly CartHistoryEntry[]): number => {
    const fresh = entries.filter((event) => event.streamVersion > entry.delivered);
    if (fresh.length === 0 || !watching.has(entry)) return 0;
    entry.delivered = fresh[fresh.length - 1]?.streamVersion ?? entry.delivered;
    entry.watcher.onEntries(fresh);
    return fresh.length;
  };

  async function pass(): Promise<number> {
    const carts = new Set([...watching].map((entry) => entry.cartId));
    let handled = 0;
    for (const cartId of carts) {
      const entries = await deps.readCart(cartId);
      for (const entry of watching) if (entry.cartId === cartId) handled += deliver(entry, entries);
    }
    return handled;
  }

  function ensureSubscription(): Promise<JournalSubscription> {
    if (subscription !== null) return subscription;
    const started = startJournalSubscription({ pool: deps.pool, schema: deps.journalSchema, logger: deps.logger, process: pass, pollIntervalMs: deps.pollIntervalMs ?? 1_000 });
    subscription = started;
    started.then(
      (running) =>
        void running.ended.then((error) => {
          if (subscription === started) subscription = null;
          if (error === null) return;
          // The watchers of the failed subscription are told and dropped; a new page starts a new one.
          for (const entry of watching) entry.watcher.onFailure(error);
          watching.clear();
        }),
      // The start's own failure reached the watch() that awaited it; the next watch tries again.
      () => {
        if (subscription === started) subscription = null;
      },
    );
    return started;
  }

  return {
    async watch(cartId, watcher) {
      if (closed) throw new LabError("NotRunning", "the journal watch is closed");
      const entry: Watching = { cartId, watcher, delivered: 0 };
      watching.add(entry);
      try {
        await ensureSubscription();
        // What is there already, now rather than at the next pass.
        deliver(entry, await deps.readCart(cartId));
      } catch (error) {
        watching.delete(entry);
        throw error;
      }
      return () => {
        watching.delete(entry);
      };
    },
    async close() {
      closed = true;
      watching.clear();
      const running = subscription;
      subscription = null;
      // A start that failed was reported to its watch() already and left nothing to stop.
      if (running !== null) await running.then((started) => started.stop(), () => undefined);
    },
  };
}
