import { LabError } from "../../services/platform/errors.ts";
import type { Progress } from "../../services/platform/progress.ts";
import { waitFor } from "../../services/platform/wait-for.ts";
import type { Runtime } from "../../services/runtime/runtime.ts";
import type { StackControl } from "../model/scenario.ts";

const KILLED_TIMEOUT_MS = 30_000;

/**
 * Faults a scenario injects, through the same Runtime the CLI uses: kill -9 of a component's
 * process (where the runtime knows its pid), then `up`, which starts only what is down.
 */
export function createStackControl(runtime: Runtime, progress: Progress): StackControl {
  return {
    async kill(component) {
      const status = (await runtime.status()).components.find((entry) => entry.component === component);
      const pid = status?.pid ?? null;
      if (pid === null) {
        throw new LabError("Unsupported", `the ${runtime.kind} runtime does not know the process of ${component}, so it cannot kill it`, {
          details: { component, runtime: runtime.kind },
        });
      }
      process.kill(pid, "SIGKILL");
      await waitFor(
        async () => {
          const after = (await runtime.status()).components.find((entry) => entry.component === component);
          return after?.up === false ? true : undefined;
        },
        { what: `${component} (pid ${pid}) to be down after kill -9`, timeoutMs: KILLED_TIMEOUT_MS },
      );
    },
    async up() {
      await runtime.up(progress);
    },
  };
}
