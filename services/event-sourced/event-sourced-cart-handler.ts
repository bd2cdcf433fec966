import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { decide, fold, parseCommandInput, rejectedResult } from "../cart/index.ts";
import type { CartCommand, CartCommandResult, CartState, CommandMetadata } from "../cart/index.ts";
import { LabError, describeError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { createCartEventCodec, currentRelease } from "./cart-event-codec.ts";
import type { CartEventCodec } from "./cart-event-codec.ts";
import { toCartSnapshot } from "./cart-snapshot.ts";
import { cartStreamId } from "./cart-stream.ts";
import type { EventJournal } from "./event-journal.ts";
import { loadCart } from "./load-cart.ts";
import type { SnapshotStore } from "./snapshot-store.ts";
import { StreamVersionConflict } from "./stream-version-conflict.ts";


export interface EventSourcedCartHandlerDeps {
  journal: EventJournal;
  snapshots: SnapshotStore;
  logger: Logger;
  /** Tries per command while other writers keep appending first. Default 20. */
  maxAttempts?: number;
  /** Snapshot a cart whenever its version crosses a multiple of this; null never snapshots. Default 100. */
  snapshotEvery?: number | null;
  /** Told of every conflict, retried or not, so a scenario can count them. */
  onConflict?: (conflict: StreamVersionConflict, attempt: number) => void;
  /** Time of a command that arrives raw (`applyRaw`); `handle` takes it from the metadata. */
  clock?: () => string;
  /**
   * The release this handler is: the shapes it writes events in. The current release by default;
   * a deploy of the decimal-price release builds its handler with that release's codec, over a
   * journal that reads with that release's upcasters. Loading decodes with the shipped decoder
   * (load-cart.ts), which reads the final shape of either release.
   */
  codec?: CartEventCodec;
}

export interface EventSourcedCartHandler {
  handle(command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult>;
  /** Validates a raw JSON command and its metadata first, as `apply` reads them from a file. */
  applyRaw(input: unknown, metadata: unknown): Promise<CartCommandResult>;
}

const DEFAULT_MAX_ATTEMPTS = 20;
const defaultCodec = createCartEventCodec(currentRelease);
const DEFAULT_SNAPSHOT_EVERY = 100;
const MAX_BACKOFF_MS = 50;

/**
 * Runs cart commands against the journal: load (snapshot + later events), decide, append with
 * the loaded version as the expected one. A writer that lost the race reloads and decides again
 * on the state that won, which is what keeps concurrent AddItems from overwriting each other.
 */
export function createEventSourcedCartHandler(deps: EventSourcedCartHandlerDeps): EventSourcedCartHandler {
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const snapshotEvery = deps.snapshotEvery === undefined ? DEFAULT_SNAPSHOT_EVERY : deps.snapshotEvery;
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new LabError("UsageInvalid", `maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  if (snapshotEvery !== null && !(Number.isInteger(snapshotEvery) && snapshotEvery >= 1)) {
    throw new LabError("UsageInvalid", `snapshotEvery must be an integer >= 1 or null, got ${snapshotEvery}`);
  }
  const log = deps.logger.child({ component: "es-cart-handler" });
  const codec = deps.codec ?? defaultCodec;

  async function attempt(command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult> {
    const loaded = await loadCart(deps, command.cartId);
    const decision = decide(command, loaded.state);
    if (!decision.ok) return rejectedResult(decision.rejection);
    if (decision.events.length === 0) return { ok: true };
    const appended = await deps.journal.appendToStream(
      cartStreamId(command.cartId),
      loaded.version,
      decision.events.map((event) => codec.encode(event, metadata)),
    );
    if (snapshotEvery !== null && Math.floor(appended.nextExpectedVersion / snapshotEvery) > Math.floor(loaded.version / snapshotEvery)) {
      await snapshot(command.cartId, appended.nextExpectedVersion, fold(decision.events, loaded.state));
    }
    return { ok: true };
  }

  async function snapshot(cartId: string, version: number, state: CartState): Promise<void> {
    try {
      await deps.snapshots.save(toCartSnapshot(cartId, version, state));
    } catch (error) {
      // The command is committed; a missing snapshot only makes the next load fold further.
      log.warn({ cartId, version, err: describeError(error) }, "snapshot not saved");
    }
  }

  const clock = deps.clock ?? (() => new Date().toISOString());

  async function handle(command: CartCommand, metadata: CommandMetadata): Promise<CartCommandResult> {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      try {
        return await attempt(command, metadata);
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error;
        deps.onConflict?.(error, attemptNumber);
        log.debug({ cartId: command.cartId, attempt: attemptNumber, expected: error.expected, actual: error.actual }, "version conflict");
        if (attemptNumber >= maxAttempts) throw error;
        // Jittered, growing pause: writers that collided together should not collide again together.
        await delay(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attemptNumber));
      }
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
