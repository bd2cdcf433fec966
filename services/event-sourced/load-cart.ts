import { fold, initialCartState } from "../cart/index.ts";
import type { CartState } from "../cart/index.ts";
import { decodeCartEvent } from "./cart-event-codec.ts";
import { decodeCartSnapshot } from "./cart-snapshot.ts";
import { cartStreamId } from "./cart-stream.ts";
import type { EventJournal } from "./event-journal.ts";
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

/** A cart as of its latest version (or `toVersion`): the snapshot, when usable, plus the events after it. */
export async function loadCart(deps: LoadCartDeps, cartId: string, options: { toVersion?: number } = {}): Promise<LoadedCart> {
  const streamId = cartStreamId(cartId);
  const snapshot = await deps.snapshots.load(streamId);
  let start: { state: CartState; version: number } = { state: initialCartState(), version: 0 };
  let snapshotVersion: number | null = null;
  let snapshotIgnored: string | null = null;
  // A snapshot past the requested version cannot be unfolded; only the latest one is kept.
  if (snapshot !== null && (options.toVersion === undefined || snapshot.streamVersion <= options.toVersion)) {
    const decoded = decodeCartSnapshot(cartId, snapshot);
    if (decoded.ok) {
      start = { state: decoded.state, version: snapshot.streamVersion };
      snapshotVersion = snapshot.streamVersion;
    } else {
      snapshotIgnored = decoded.reason;
    }
  }
  const events = await deps.journal.readStream(streamId, {
    fromVersion: start.version + 1,
    ...(options.toVersion === undefined ? {} : { toVersion: options.toVersion }),
  });
  const last = events[events.length - 1];
  return {
    cartId,
    state: fold(events.map(decodeCartEvent), start.state),
    version: last?.streamVersion ?? start.version,
    snapshotVersion,
    snapshotIgnored,
  };
}
