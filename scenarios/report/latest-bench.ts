import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { readBenchFile } from "../../bench/harness/bench-file.ts";
import type { BenchFile } from "../../bench/harness/bench-file.ts";
import type { Logger } from "../../services/platform/logger.ts";
import { describeError } from "../../services/platform/errors.ts";

/**
 * The bench run the report quotes: the one that finished last among `reports/bench-*`. A
 * bench.json this build cannot read is passed over with a warning (an older schema, a run cut
 * short mid-write): the report then quotes the latest one it can read.
 */
export function findLatestBench(reportsDir: string, logger: Logger): BenchFile | null {
  if (!existsSync(reportsDir)) return null;
  let latest: BenchFile | null = null;
  for (const entry of readdirSync(reportsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("bench-")) continue;
    const file = path.join(reportsDir, entry.name, "bench.json");
    if (!existsSync(file)) continue;
    try {
      const bench = readBenchFile(file);
      if (latest === null || bench.finishedAt > latest.finishedAt) latest = bench;
    } catch (error) {
      logger.warn({ file, err: describeError(error) }, "a bench.json the report cannot quote; passed over");
    }
  }
  return latest;
}
