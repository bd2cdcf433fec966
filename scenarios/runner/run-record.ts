import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LabError, describeError } from "../../services/platform/errors.ts";
import { processAlive } from "../../services/platform/process-alive.ts";

/**
 * A run writes down that it exists before it creates anything (`<lab dir>/runs/<run id>.json`)
 * and removes the note once it removed what it created. A note whose process is gone is a run
 * that died (kill -9, power loss): its marker finds what it left (run-resources.ts), which `up`
 * and `run` report and `cdc-es-lab clean` removes.
 */
const RunNote = z.object({ runId: z.string(), marker: z.string(), pid: z.number().int(), command: z.string(), startedAt: z.string() });
export type RunNote = z.infer<typeof RunNote>;

function runsDir(labDir: string): string {
  return path.join(labDir, "runs");
}

function noteFile(labDir: string, runId: string): string {
  return path.join(runsDir(labDir), `${runId}.json`);
}

export function writeRunNote(labDir: string, note: RunNote): void {
  mkdirSync(runsDir(labDir), { recursive: true });
  const file = noteFile(labDir, note.runId);
  writeFileSync(`${file}.tmp`, JSON.stringify(note));
  // Renamed into place: a note is whole or absent, never half written.
  renameSync(`${file}.tmp`, file);
}

export function removeRunNote(labDir: string, runId: string): void {
  rmSync(noteFile(labDir, runId), { force: true });
}

export function readRunNotes(labDir: string): RunNote[] {
  let names: string[];
  try {
    names = readdirSync(runsDir(labDir)).filter((name) => name.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new LabError("ComponentFailed", `cannot read the run notes in ${runsDir(labDir)}: ${describeError(error)}`, { cause: error });
  }
  return names.map((name) => {
    const file = path.join(runsDir(labDir), name);
    const parsed = RunNote.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new LabError("DecodeFailed", `${file} is not a run note: ${z.prettifyError(parsed.error)}`, { hint: `Delete ${file} if it is not needed.` });
    return parsed.data;
  });
}

/** Runs whose process is gone without having cleaned up. */
export function deadRuns(labDir: string): RunNote[] {
  return readRunNotes(labDir).filter((note) => !processAlive(note.pid));
}
