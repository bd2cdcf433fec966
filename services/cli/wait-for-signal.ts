/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

export interface SignalWait {
  /** Resolves with the first SIGINT or SIGTERM's name. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening (after the service closed). */
  dispose(): void;
}

/**
 * A long-running command (`serve`, `ship`) runs until SIGINT or SIGTERM, then closes what it
 * opened. A second signal while it closes exits at once: a shutdown that hangs must not need
 * `kill -9`.
 */
export function waitForSignal(onSecond: (name: NodeJS.Signals) => void): SignalWait {
  let first: NodeJS.Signals | null = null;
  let resolve: (name: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const onSignal = (name: NodeJS.Signals) => {
    if (first !== null) {
      onSecond(name);
      process.exit(EXIT_INTERRUPTED);
    }
    first = name;
    resolve(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    received,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
