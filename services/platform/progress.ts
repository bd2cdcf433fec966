/**
 * Human progress for long work (`up`, `down`, `run`), on stderr beside the logs. Each step says
 * when it starts and how long it took, so a slow first `up` (Maven resolving jars) is visible.
 */
export interface Progress {
  step<T>(name: string, work: () => Promise<T>, describe?: (value: T) => string): Promise<T>;
  note(message: string): void;
}

export function createStderrProgress(prefix: string, write: (line: string) => void = (line) => process.stderr.write(line)): Progress {
  return {
    async step(name, work, describe) {
      const startedAt = performance.now();
      write(`[${prefix}] ${name} ...\n`);
      try {
        const value = await work();
        const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
        const detail = describe ? `: ${describe(value)}` : "";
        write(`[${prefix}] ${name} ok (${seconds}s)${detail}\n`);
        return value;
      } catch (error) {
        const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
        write(`[${prefix}] ${name} FAILED (${seconds}s)\n`);
        throw error;
      }
    },
    note(message) {
      write(`[${prefix}] ${message}\n`);
    },
  };
}

/** For callers that want no output (tests that assert on data, not on text). */
export const silentProgress: Progress = {
  step: async (_name, work) => work(),
  note: () => undefined,
};
