import type { LabError } from "../platform/errors.ts";
import type { CheckoutMessage } from "./checkout-message.ts";

/**
 * The port through which shipping reads the checkout topics. Delivery is at least once: a
 * position is committed only after the handler resolved for it, so a crash in between hands the
 * same record over again, and the handler must make that harmless.
 */
export interface CheckoutFeedOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed position starts. */
  fromBeginning: boolean;
}

export type CheckoutHandler = (message: CheckoutMessage) => Promise<void>;

export interface CheckoutSubscription {
  /** Stops consuming; positions already handled stay committed. */
  stop(): Promise<void>;
  /**
   * Settles when the subscription ends: with the error that stopped it (a poison message or a
   * failing handler, named by topic/partition/offset), or null after `stop()`.
   */
  readonly ended: Promise<LabError | null>;
}

export interface CheckoutFeed {
  subscribe(options: CheckoutFeedOptions, handler: CheckoutHandler): Promise<CheckoutSubscription>;
}
