import type { RuntimeKind } from "../platform/config.ts";
import type { Progress } from "../platform/progress.ts";

/**
 * The port every runtime implements: `local` (processes this lab starts), `docker` (compose) and
 * `external` (a cluster someone else runs). Tests, scenarios and the CLI only see this.
 */
export const COMPONENTS = ["postgres", "kafka", "connect", "connector"] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface ComponentStatus {
  component: ComponentName;
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

export interface DownOptions {
  /** Also delete the stack's data (PostgreSQL cluster, Kafka logs, Connect offsets). */
  purge: boolean;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  up(progress: Progress): Promise<UpResult>;
  status(): Promise<StackStatus>;
  down(progress: Progress, options: DownOptions): Promise<{ stopped: ComponentName[] }>;
  /** The last lines of a component's log, for `logs` and for failure messages. */
  logTail(component: Exclude<ComponentName, "connector">, lines: number): Promise<string>;
}

export function isStackUp(components: ComponentStatus[]): boolean {
  return components.every((component) => component.up);
}
