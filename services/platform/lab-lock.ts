import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { LabError, describeError } from "./errors.ts";
import { processAlive } from "./process-alive.ts";
import type { Progress } from "./progress.ts";

/**
 * One writer of a lab's lifecycle at a time: `up`, `down` and `run` hold `<lab dir>/lab.lock`
 * while they work. Two `up`s at once each stopped what the other started, and two `run`s at once
 * measured each other's traffic; with the lock the second one waits or says who holds the lab.
 * The file names its holder; a holder that died (kill -9, power loss) leaves a file whose pid
 * is gone, and the next command takes the lab over, saying so.
 */
export interface LabLock {
  release(): void;
}

const LockFile = z.object({ pid: z.number().int(), command: z.string(), since: z.string() });
type Holder = z.infer<typeof LockFile>;

const POLL_MS = 250;

function lockPath(labDir: string): string {
  return path.join(labDir, "lab.lock");
}

function readHolder(file: string): Holder | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new LabError("ComponentFailed", `cannot read the lab lock ${file}: ${describeError(error)}`, { cause: error });
  }
  const parsed = LockFile.safeParse(parseJsonOrNull(text));
  // A file cut short by a crash while it was written names nobody: treat it as a dead holder.
  return parsed.success ? parsed.data : { pid: -1, command: "(unreadable lock file)", since: "" };
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse of a string throws only SyntaxError: a torn lock file, which the caller reports as a dead holder.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * Creates the lock file whole or not at all: the holder is written to a file of our own, then
 * hard-linked to the lock's name, which fails if the name exists. A reader never sees a lock
 * half written by a live holder (it would take it for a dead one and both would hold the lab).
 */
function tryCreate(file: string, holder: Holder): boolean {
  const own = `${file}.${process.pid}`;
  writeFileSync(own, JSON.stringify(holder));
  try {
    linkSync(own, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new LabError("ComponentFailed", `cannot create the lab lock ${file}: ${describeError(error)}`, { cause: error });
  } finally {
    rmSync(own, { force: true });
  }
}

/**
 * Takes the lab's lock for `command`, waiting up to `waitMs` for a live holder (with a message),
 * then failing with `LabBusy` naming it. Resolves with a lock to release when done.
 */
export async function acquireLabLock(labDir: string, command: string, options: { waitMs: number; progress: Progress }): Promise<LabLock> {
  mkdirSync(labDir, { recursive: true });
  const file = lockPath(labDir);
  const me: Holder = { pid: process.pid, command, since: new Date().toISOString() };
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    if (tryCreate(file, me)) {
      return {
        release() {
          // Only our own lock: a holder that took over a lab it thought dead must keep its file.
          if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    }
    const holder = readHolder(file);
    if (holder === null) continue;
    if (!processAlive(holder.pid)) {
      options.progress.note(`the lab was locked by pid ${holder.pid} (${holder.command}), which is gone; taking it over`);
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LabError("LabBusy", `the lab at ${labDir} is busy: pid ${holder.pid} runs \`${holder.command}\` since ${holder.since}`, {
        details: { ...holder, labDir },
        hint: "Wait for it to finish, or stop it; a lab runs one up, down or run at a time.",
      });
    }
    if (!told) {
      options.progress.note(`waiting for pid ${holder.pid} (${holder.command}) to finish with the lab`);
      told = true;
    }
    await delay(POLL_MS);
  }
}
