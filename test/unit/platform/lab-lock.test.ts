import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLabLock } from "../../../services/platform/lab-lock.ts";
import { LabError } from "../../../services/platform/errors.ts";
import { silentProgress } from "../../../services/platform/progress.ts";
import type { Progress } from "../../../services/platform/progress.ts";

const labDir = () => mkdtempSync(path.join(os.tmpdir(), "lab-lock-"));

function recordingProgress(): Progress & { notes: string[] } {
  const notes: string[] = [];
  return { ...silentProgress, notes, note: (message) => notes.push(message) };
}

/** A pid that surely belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the lab lock", () => {
  it("names its holder while held and is gone once released", async () => {
    const dir = labDir();
    const lock = await acquireLabLock(dir, "up", { waitMs: 0, progress: silentProgress });
    expect(JSON.parse(readFileSync(path.join(dir, "lab.lock"), "utf8"))).toMatchObject({ pid: process.pid, command: "up" });
    lock.release();
    expect(existsSync(path.join(dir, "lab.lock"))).toBe(false);
  });

  it("refuses a second holder with LabBusy naming the first one's pid and command", async () => {
    const dir = labDir();
    const lock = await acquireLabLock(dir, "run --size small", { waitMs: 0, progress: silentProgress });
    const second = acquireLabLock(dir, "up", { waitMs: 0, progress: silentProgress });
    await expect(second).rejects.toThrow(LabError);
    await expect(second).rejects.toMatchObject({ code: "LabBusy", message: expect.stringContaining(`pid ${process.pid} runs \`run --size small\``) });
    lock.release();
  });

  it("waits for a live holder, says so, and takes the lab once it is released", async () => {
    const dir = labDir();
    const first = await acquireLabLock(dir, "up", { waitMs: 0, progress: silentProgress });
    const progress = recordingProgress();
    const second = acquireLabLock(dir, "down", { waitMs: 10_000, progress });
    setTimeout(() => first.release(), 300);
    const lock = await second;
    expect(progress.notes[0]).toContain(`waiting for pid ${process.pid} (up)`);
    expect(JSON.parse(readFileSync(path.join(dir, "lab.lock"), "utf8"))).toMatchObject({ command: "down" });
    lock.release();
  });

  it("takes over a lab whose holder died, and a torn lock file, saying so", async () => {
    for (const content of [JSON.stringify({ pid: deadPid(), command: "run", since: "2026-11-30T00:00:00Z" }), '{"pid": 12'] as const) {
      const dir = labDir();
      writeFileSync(path.join(dir, "lab.lock"), content);
      const progress = recordingProgress();
      const lock = await acquireLabLock(dir, "up", { waitMs: 0, progress });
      expect(progress.notes.join("\n")).toContain("which is gone; taking it over");
      lock.release();
    }
  });

  it("a release by a process that lost the lock to a takeover leaves the new holder's file", async () => {
    const dir = labDir();
    const lock = await acquireLabLock(dir, "up", { waitMs: 0, progress: silentProgress });
    writeFileSync(path.join(dir, "lab.lock"), JSON.stringify({ pid: 1, command: "run", since: "x" }));
    lock.release();
    expect(existsSync(path.join(dir, "lab.lock"))).toBe(true);
  });
});
