import { parseFlags } from "../../services/cli/cli-flags.ts";
import { LabError } from "../../services/platform/errors.ts";

/**
 * `npm run bench -- [--quick] [--durable] [--only ID,...] [--repetitions N] [--keep]`, decoded strictly
 * with the CLI's own parser: an unknown flag, a flag given twice or a malformed count is a usage
 * error before the stack is touched.
 */
export interface BenchOptions {
  quick: boolean;
  durable: boolean;
  /** Benchmark ids (file names under bench/); empty runs them all. */
  only: string[];
  /** Repetitions per measure; null takes the suite's default for the size. */
  repetitions: number | null;
  /** Leave running a stack the bench started (as `run --keep`); a stack that was up stays up anyway. */
  keep: boolean;
  help: boolean;
}

export const MAX_REPETITIONS = 50;
export const DEFAULT_REPETITIONS = { full: 5, quick: 3 } as const;

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--durable] [--only ID,...] [--repetitions N] [--keep]

  --quick            small sizes: the whole suite in about a minute (CI checks its shape only)
  --durable          measure with PostgreSQL's fsync on (the local runtime runs it off); restored after
  --keep             leave the stack running if the bench started it (one that was up stays up)
  --help             this text
  --only ID,...      only these benchmarks (file names under bench/), with the baselines they need
  --repetitions N    timed repetitions per measure, 1 to ${MAX_REPETITIONS} (default ${DEFAULT_REPETITIONS.full}, --quick ${DEFAULT_REPETITIONS.quick}); a warm-up always runs first
`;

const BENCHMARK_ID = /^[a-z0-9][a-z0-9-]*$/;

export function parseBenchFlags(args: string[]): BenchOptions {
  const { values } = parseFlags(args, {
    quick: { type: "boolean", default: false },
    durable: { type: "boolean", default: false },
    only: { type: "string" },
    repetitions: { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  });
  return {
    quick: values.quick === true,
    durable: values.durable === true,
    only: values.only === undefined ? [] : onlyFlag(values.only),
    repetitions: values.repetitions === undefined ? null : repetitionsFlag(values.repetitions),
    keep: values.keep === true,
    help: values.help === true,
  };
}

function onlyFlag(text: string): string[] {
  const ids = text.split(",");
  const bad = ids.filter((id) => !BENCHMARK_ID.test(id));
  if (bad.length > 0) throw new LabError("UsageInvalid", `--only takes benchmark ids separated by commas (lowercase, digits and dashes), got ${JSON.stringify(text)}`);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) throw new LabError("UsageInvalid", `--only names ${JSON.stringify(repeated[0])} more than once`);
  return ids;
}

function repetitionsFlag(text: string): number {
  if (!/^\d{1,2}$/.test(text) || Number(text) < 1 || Number(text) > MAX_REPETITIONS) {
    throw new LabError("UsageInvalid", `--repetitions must be a whole number from 1 to ${MAX_REPETITIONS}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}
