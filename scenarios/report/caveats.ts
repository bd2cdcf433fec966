import type { LabResults } from "../results/results-file.ts";
import { formatBytes } from "./observation-format.ts";

/**
 * What the lab does not measure, worded for the runtime that produced the run. Fixed text on
 * purpose: a reader comparing two reports should find the same limits stated the same way.
 */
export function caveats(results: LabResults): string[] {
  const { machine, versions, runtime } = results;
  const machineText = `${machine.cpus} CPUs, ${formatBytes(machine.memoryBytes)} of memory, ${machine.platform}`;
  const local = runtime !== "external";
  return [
    local
      ? `One machine ran everything: PostgreSQL, the Kafka broker, Kafka Connect and the lab itself (this run: ${machineText}). The lab is sized for 2 cores; every timing competes for the same CPUs and none is a capacity figure.`
      : `The lab ran on one machine (${machineText}) against an external stack whose machines this report does not describe; timings include the network between them.`,
    runtime === "local"
      ? "PostgreSQL ran with fsync=off and full_page_writes=off (the local runtime's setting): durability against power loss is not measured, and writes are faster than on a durable server."
      : runtime === "docker"
        ? "PostgreSQL ran from the official image with its default durability settings; all containers shared one disk."
        : "The external stack's durability and replication settings are whatever it was configured with; the lab did not check them.",
    local && (results.kafkaBrokers ?? 1) === 1
      ? "Kafka ran as a single broker (KRaft) with replication factor 1: broker failover, ISR shrinkage and unclean leader election are not exercised, and delivery results hold for one broker only."
      : local
        ? `Kafka ran as ${results.kafkaBrokers} brokers (KRaft) with replication factor 3 and min.insync.replicas 2, but no scenario kills a broker: failover is exercised by the lab's tests (test/integration/cli-brokers.test.ts), not measured in this report.`
        : "Broker failover was not exercised: the lab kills Kafka Connect and consumers, never a broker.",
    `Results hold for the versions tested (Debezium ${versions.debezium ?? "unknown"}, Kafka ${versions.kafka ?? "unknown"}, PostgreSQL ${versions.postgres ?? "unknown"}); connector defaults and delivery guarantees change between releases.`,
    "Time-travel and lag probes resolve commit times to the millisecond (Debezium's source.ts_ms, PostgreSQL timestamps): two changes committed in the same millisecond are told apart only by log position, never by time.",
    `The only Kafka client measured is kafkajs ${versions.kafkajs} on Node ${versions.node}; rebalancing, offset commits and batching differ in other clients.`,
    "A verdict is the scenario's judge applied to this run's observations, with this seed and size; another workload can give another figure. The raw observations are in results.json beside this report.",
    "The seed fixes the workloads, so two runs of one seed agree on every figure except those results.json marks as varying: durations and counts of races (`varies: timing`: how concurrent writers, consumers and a killed process interleave) and bytes on disk (`varies: size`). A verdict resting on such a figure can differ between runs.",
  ];
}
