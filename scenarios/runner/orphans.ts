import type { Logger } from "../../services/platform/logger.ts";
import type { Progress } from "../../services/platform/progress.ts";
import type { StackEndpoints } from "../../services/runtime/runtime.ts";
import { deadRuns } from "./run-record.ts";
import type { RunNote } from "./run-record.ts";
import { readRunNotes } from "./run-record.ts";
import { RESOURCE_KINDS, countResources, describeResources, findResourcesNamed, findRunResources } from "./run-resources.ts";
import type { RunResources } from "./run-resources.ts";

export interface Orphans {
  run: RunNote;
  resources: RunResources;
}

/** What runs that died left on the stack, found from their notes. */
export async function findOrphans(labDir: string, endpoints: StackEndpoints, logger: Logger): Promise<Orphans[]> {
  const orphans: Orphans[] = [];
  for (const run of deadRuns(labDir)) orphans.push({ run, resources: await findRunResources(endpoints, logger, [run.marker]) });
  return orphans;
}

/** Tells the user, on stderr, what dead runs left and how to remove it; changes nothing. */
export async function reportOrphans(labDir: string, endpoints: StackEndpoints, logger: Logger, progress: Progress): Promise<Orphans[]> {
  const orphans = await findOrphans(labDir, endpoints, logger);
  for (const { run, resources } of orphans) {
    const count = countResources(resources);
    progress.note(
      `run ${run.runId} (pid ${run.pid}, \`${run.command}\`, started ${run.startedAt}) ended without cleaning up: ` +
        (count === 0 ? "it left nothing on the stack" : `${count} resources left (${describeResources(resources)})`) +
        "; `cdc-es-lab clean --yes` removes them",
    );
  }
  return orphans;
}

/** A run's marker inside any name a run's subject gave (kit/drivers/open-driver.ts `subjectName`). */
const RUN_NAME = /(?:^|[_.-])r([0-9a-z]+)_s\d+_\d+/;

/** The marker of the run whose subject named this resource, or null for a name no run's subject gives. */
export function runMarkerIn(name: string): string | null {
  const match = RUN_NAME.exec(name);
  return match === null ? null : `r${match[1]}_s`;
}

/**
 * Resources named like a run's subjects whose run left no note: runs from before the lab kept
 * notes, and scenario test runs (which keep none). Grouped by run; the runs with a live note
 * are left out, so a run in progress is never taken for an orphan.
 */
export async function findUnrecorded(labDir: string, endpoints: StackEndpoints, logger: Logger): Promise<Orphans[]> {
  const noted = new Set(readRunNotes(labDir).map((note) => note.marker));
  const markerOf = runMarkerIn;
  const found = await findResourcesNamed(endpoints, logger, (name) => {
    const marker = markerOf(name);
    return marker !== null && !noted.has(marker);
  });
  const byMarker = new Map<string, Orphans>();
  for (const kind of RESOURCE_KINDS) {
    for (const name of found[kind]) {
      const marker = markerOf(name) as string;
      const entry = byMarker.get(marker) ?? {
        run: { runId: marker.slice(1, -2), marker, pid: 0, command: "(no note)", startedAt: "unknown" },
        resources: { connectors: [], slots: [], publications: [], schemas: [], topics: [], groups: [] },
      };
      entry.resources[kind].push(name);
      byMarker.set(marker, entry);
    }
  }
  return [...byMarker.values()];
}
