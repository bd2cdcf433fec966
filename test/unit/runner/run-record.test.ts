import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runMarker, subjectName } from "../../../scenarios/kit/drivers/open-driver.ts";
import { runMarkerIn } from "../../../scenarios/runner/orphans.ts";
import { deadRuns, readRunNotes, removeRunNote, writeRunNote } from "../../../scenarios/runner/run-record.ts";
import { LabError } from "../../../services/platform/errors.ts";

const labDir = () => mkdtempSync(path.join(os.tmpdir(), "run-notes-"));
const exitedPid = () => Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
const note = (runId: string, pid: number) => ({ runId, marker: runMarker(runId), pid, command: "run --size small", startedAt: "2026-11-30T00:00:00.000Z" });

describe("run notes", () => {
  it("are kept until removed, and a run whose process is gone is dead", () => {
    const dir = labDir();
    writeRunNote(dir, note("alive1", process.pid));
    writeRunNote(dir, note("dead1", exitedPid()));
    expect(readRunNotes(dir).map((entry) => entry.runId).sort()).toEqual(["alive1", "dead1"]);
    expect(deadRuns(dir).map((entry) => entry.runId)).toEqual(["dead1"]);
    removeRunNote(dir, "dead1");
    expect(deadRuns(dir)).toEqual([]);
  });

  it("none in a lab that never ran", () => {
    expect(readRunNotes(path.join(labDir(), "missing"))).toEqual([]);
  });

  it("a file that is not a note is a typed error naming it", () => {
    const dir = labDir();
    writeRunNote(dir, note("x1", process.pid));
    writeFileSync(path.join(dir, "runs", "bad.json"), JSON.stringify({ runId: 3 }));
    expect(() => readRunNotes(dir)).toThrow(LabError);
    expect(() => readRunNotes(dir)).toThrow(/bad\.json is not a run note/);
  });
});

describe("run markers", () => {
  it("are found in every name a run's subject gives, and in no other", () => {
    const subject = subjectName("mwzq1", 3, 2);
    expect(subject).toBe("rmwzq1_s3_2");
    for (const name of [`${subject}_crud`, `${subject}_journal`, `cdc_${subject}_slot`, `cdc-${subject}`, `cdc_${subject}.${subject}_crud.carts`, `${subject}_naive_reader`]) {
      expect(runMarkerIn(name), name).toBe(runMarker("mwzq1"));
    }
    for (const name of ["order_s1_0", "crud", "cdc_crud_full_intent_slot", "lab_sentinel_slot", "test_1a2b3c4d", "drv_1a2b3c4d_crud"]) expect(runMarkerIn(name), name).toBeNull();
  });
});
