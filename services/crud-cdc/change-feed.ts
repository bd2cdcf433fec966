import type { LabError } from "../platform/errors.ts";
import type { ChangeEvent } from "./change-event.ts";

/**
 * The port through which the CDC design reads Debezium's topics. Delivery is at least once:
 * a position is committed only after the handler resolved for it.
 */
export interface ChangeSubscriptionOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed position starts. */
  fromBeginning: boolean;
}

export type ChangeHandler = (event: ChangeEvent) => Promise<void>;

export interface ChangeSubscription {
  /** Stops consuming; positions already handled stay committed. */
  stop(): Promise<void>;
  /**
   * Settles when the subscription ends: with the error that stopped it (an undecodable record
   * or a failing handler, named by topic/partition/offset), or null after `stop()`.
   */
  readonly ended: Promise<LabError | null>;
}

export interface ChangeFeed {
  subscribe(options: ChangeSubscriptionOptions, handler: ChangeHandler): Promise<ChangeSubscription>;
  /**
   * Every record of the topics, from the oldest Kafka still keeps up to their end when the call
   * began, in order within each partition. Kafka is the CDC design's only history: this is
   * how it is read. A topic that does not exist yet has no history.
   */
  readToEnd(topics: string[]): Promise<ChangeEvent[]>;
}
