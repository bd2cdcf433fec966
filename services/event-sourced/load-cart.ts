import { fold, initialCartState } from "../cart/index.ts";
import type { CartState } from "../cart/index.ts";
import { decodeCartEvent } from "./cart-event-codec.ts";
import { decodeCartSnapshot } from "./cart-snapshot.ts";
import { cartStreamId } from "./cart-stream.ts";
import type { EventJournal, StreamFromSnapshot } from "./event-journal.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export interface LoadCartDeps {
  journal: EventJournal;
  snapshots: SnapshotStore;
}

export interface LoadedCart {
  cartId: string;
  state: CartState;
  /** The stream version `state` is at: the expected version of the next append. */
  version: number;
  /** The snapshot version the fold started from; null when it started from the first event. */
  snapshotVersion: number | null;
  /** Why a stored snapshot was not used, when there was one that could have been. */
  snapshotIgnored: string | null;
}

/**
 * A cart as of its latest version (or `toVersion`): the snapshot, when usable, plus the events
 * after it. One read where the journal answers both together (`readStreamFromSnapshot`); a
 * snapshot set aside costs a second one, for the events it stood for.
 */
export async function loadCart(deps: LoadCartDeps, cartId: string, options: { toVersion?: number } = {}): Promise<LoadedCart> {
  const streamId = cartStreamId(cartId);
  const toVersion = options.toVersion === undefined ? {} : { toVersion: options.toVersion };
  const read = deps.journal.readStreamFromSnapshot
    ? await deps.journal.readStreamFromSnapshot(streamId, toVersion)
    : await readSnapshotThenStream(deps, streamId, options.toVersion);
  let { events } = read;
  let start: { state: CartState; version: number } = { state: initialCartState(), version: 0 };
  let snapshotVersion: number | null = null;
  let snapshotIgnored: string | null = null;
  if (read.snapshot !== null) {
    const decoded = decodeCartSnapshot(cartId, read.snapshot);
    if (decoded.ok) {
      start = { state: decoded.state, version: read.snapshot.streamVersion };
      snapshotVersion = read.snapshot.streamVersion;
    } else {
      snapshotIgnored = decoded.reason;
      events = await deps.journal.readStream(streamId, toVersion);
    }
  }
  const last = events[events.length - 1];
  return {
    cartId,
    state: fold(events.map(decodeCartEvent), start.state),
    version: last?.streamVersion ?? start.version,
    snapshotVersion,
    snapshotIgnored,
  };
}

/** The two reads `readStreamFromSnapshot` stands for, for a journal that lacks it. */
async function readSnapshotThenStream(deps: LoadCartDeps, streamId: string, toVersion: number | undefined): Promise<StreamFromSnapshot> {
  const stored = await deps.snapshots.load(streamId);
  // A snapshot past the requested version cannot be unfolded; only the latest one is kept.
  const snapshot = stored !== null && (toVersion === undefined || stored.streamVersion <= toVersion) ? stored : null;
  const events = await deps.journal.readStream(streamId, {
    fromVersion: (snapshot?.streamVersion ?? 0) + 1,
    ...(toVersion === undefined ? {} : { toVersion }),
  });
  return { snapshot, events };
}
