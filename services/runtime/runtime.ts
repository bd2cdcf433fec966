import type { BrokerCount, RuntimeKind } from "../platform/config.ts";
import type { Progress } from "../platform/progress.ts";

/**
 * The port every runtime implements: `local` (processes this lab starts), `docker` (compose) and
 * `external` (a cluster someone else runs). Tests, scenarios and the CLI only see this.
 */
export const COMPONENTS = ["postgres", "kafka", "connect", "connector"] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/**
 * One node of a replicated cluster (`kafka-1`..`kafka-3`), shown beside `kafka`, which stays
 * "the cluster answers". Only a runtime that starts several brokers reports them.
 */
export type BrokerComponentName = `kafka-${number}`;

export interface ComponentStatus {
  component: ComponentName | BrokerComponentName;
  up: boolean;
  pid: number | null;
  port: number | null;
  version: string | null;
  /** Why it is down, or what else is worth knowing (e.g. the connector's state). */
  detail: string | null;
  /** Resident memory of the component's processes, where the runtime can see them. */
  rssBytes: number | null;
}

/** How Kafka Connect reaches PostgreSQL: not always the address this process uses (docker networks). */
export interface ConnectorDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
}

export interface StackEndpoints {
  /** The lab's database, as this process reaches it. */
  postgresUrl: string;
  kafkaBrokers: string[];
  connectUrl: string;
  connectorDatabase: ConnectorDatabase;
}

export interface StackStatus {
  runtime: RuntimeKind;
  up: boolean;
  components: ComponentStatus[];
  endpoints: StackEndpoints | null;
}

export interface UpResult {
  /** True when everything was already running and `up` changed nothing. */
  alreadyUp: boolean;
  started: ComponentName[];
  endpoints: StackEndpoints;
  status: StackStatus;
}

export interface UpOptions {
  /**
   * Brokers asked for by `up --brokers` (or LAB_BROKERS); only the local runtime starts several.
   * A lab keeps the count of its first `up`: asking another is an error, not a silent rebuild.
   */
  brokers?: BrokerCount;
}

export interface DownOptions {
  /** Also delete the stack's data (PostgreSQL cluster, Kafka logs, Connect offsets). */
  purge: boolean;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  up(progress: Progress, options?: UpOptions): Promise<UpResult>;
  status(): Promise<StackStatus>;
  down(progress: Progress, options: DownOptions): Promise<{ stopped: ComponentName[] }>;
  /** The last lines of a component's log, for `logs` and for failure messages. */
  logTail(component: Exclude<ComponentName, "connector">, lines: number): Promise<string>;
}

export function isStackUp(components: ComponentStatus[]): boolean {
  return components.every((component) => component.up);
}
