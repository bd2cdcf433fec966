import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";
import type { LabConfig } from "../../../services/platform/config.ts";
import { LabError, describeError } from "../../../services/platform/errors.ts";
import { requireJava } from "../../../services/runtime/local/executables.ts";
import { jvmPomPath, readPinnedVersions } from "../../../services/runtime/local/jvm-dist.ts";

const run = promisify(execFile);

/**
 * Bytes on disk of Kafka topics, from the brokers' own accounting. kafkajs has no
 * DescribeLogDirs, and Kafka 4.3's `kafka-log-dirs` tool (org.apache.kafka.tools.LogDirsCommand)
 * lives in the kafka-tools artifact, which the lab's pom does not resolve. So a small Java file
 * beside this one makes the same Admin call (`describeLogDirs`) with the kafka-clients jar the
 * lab already resolved, run in Java's source-file mode (a JDK, as `up` uses). It asks every
 * broker through `--bootstrap-server`, so it works against any plaintext cluster, not only the
 * local runtime's.
 */
export interface PartitionSize {
  broker: number;
  logDir: string;
  topic: string;
  partition: number;
  sizeBytes: number;
  /** A replica being moved between log dirs: its bytes are a copy, not the topic's. */
  isFuture: boolean;
}

export interface TopicSizes {
  partitions: PartitionSize[];
  /** cleanup.policy of each topic that exists, as the broker reports it ("delete", "compact", "compact,delete"). */
  cleanupPolicies: Record<string, string>;
}

const TopicSizesSchema = z.object({
  partitions: z.array(
    z.object({
      broker: z.number().int(),
      logDir: z.string(),
      topic: z.string(),
      partition: z.number().int(),
      sizeBytes: z.number().int().nonnegative(),
      isFuture: z.boolean(),
    }),
  ),
  cleanupPolicies: z.record(z.string(), z.string()),
});

const TOOL_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "LogDirSizes.java");
const TOOL_TIMEOUT_MS = 120_000;

export type KafkaToolSetup = Pick<LabConfig, "projectDir" | "cacheDir" | "javaHome" | "searchPath">;

export interface KafkaLogDirs {
  /** Sizes of these topics' partitions on every broker; a topic that does not exist is simply absent. */
  topicSizes(topics: readonly string[]): Promise<TopicSizes>;
}

/**
 * The jars of the pinned Kafka version that the local runtime resolved with Maven (any complete
 * set under the cache holding that kafka-clients). A clear error when there are none.
 */
export function findKafkaLibs(setup: Pick<KafkaToolSetup, "projectDir" | "cacheDir">): string {
  const { kafkaVersion } = readPinnedVersions(readFileSync(jvmPomPath(setup.projectDir), "utf8"));
  const jvmCache = path.join(setup.cacheDir, "jvm");
  const sets = existsSync(jvmCache) ? readdirSync(jvmCache).map((entry) => path.join(jvmCache, entry)) : [];
  const found = sets.find((dir) => existsSync(path.join(dir, "COMPLETE")) && existsSync(path.join(dir, "libs", `kafka-clients-${kafkaVersion}.jar`)));
  if (found === undefined) {
    throw new LabError("PrerequisiteMissing", `the Kafka ${kafkaVersion} jars were not found under ${jvmCache}: measuring topic bytes on disk runs Kafka's Admin client from them`, {
      details: { prerequisite: "kafka-jars", jvmCache, kafkaVersion },
      hint: "Run `npm run lab -- up` with the local runtime once (Maven resolves them into the cache), or point LAB_CACHE_DIR at a cache that has them.",
    });
  }
  return path.join(found, "libs");
}

export function createJvmKafkaLogDirs(setup: KafkaToolSetup, brokers: readonly string[]): KafkaLogDirs {
  return {
    async topicSizes(topics) {
      const java = requireJava(setup.javaHome, setup.searchPath);
      const libs = findKafkaLibs(setup);
      // Source-file mode compiles in memory; log4j off keeps stdout for the one JSON document.
      const args = ["-Xmx128m", "-XX:+UseSerialGC", "-Dlog4j2.level=OFF", "-Dorg.apache.logging.log4j.level=OFF", "-cp", `${libs}/*`, TOOL_SOURCE, brokers.join(","), ...topics];
      let stdout: string;
      try {
        ({ stdout } = await run(java, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }));
      } catch (error) {
        const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
        throw new LabError("ComponentFailed", `describing Kafka's log dirs failed: ${describeError(error)}${stderr === "" ? "" : `\n${stderr.split("\n").slice(-15).join("\n")}`}`, {
          cause: error,
          details: { component: "kafka", brokers, topics },
          hint: stderr.includes("compiler") ? "Java's source-file mode needs a JDK (javac's module), not a JRE alone." : undefined,
        });
      }
      const line = stdout.trim().split("\n").at(-1) ?? "";
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new LabError("DecodeFailed", `the log-dir tool printed no JSON: ${line.slice(0, 200)}`, { cause: error });
      }
      const parsed = TopicSizesSchema.safeParse(json);
      if (!parsed.success) throw new LabError("DecodeFailed", `unexpected log-dir sizes: ${parsed.error.message}`, { details: { json } });
      return parsed.data;
    },
  };
}

/** Bytes of the topics' current replicas (a replica moving between dirs is counted once). */
export function totalTopicBytes(sizes: TopicSizes): number {
  return sizes.partitions.filter((partition) => !partition.isFuture).reduce((sum, partition) => sum + partition.sizeBytes, 0);
}
