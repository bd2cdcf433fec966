import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { LabError, describeError } from "../../platform/errors.ts";

/**
 * Processes the lab starts outlive the CLI call that started them (`up` returns, `down` stops
 * them later), so they are detached, their output goes to a log file, and their pid is recorded.
 */
export interface DetachedProcess {
  pid: number;
}

export function spawnDetached(command: string, args: string[], logFile: string, cwd: string): DetachedProcess {
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(command, args, { cwd, detached: true, stdio: ["ignore", fd, fd] });
    if (child.pid === undefined) {
      throw new LabError("ComponentFailed", `could not start ${command}`, { details: { command, args } });
    }
    child.unref();
    return { pid: child.pid };
  } finally {
    closeSync(fd);
  }
}

/**
 * True while `pid` runs and still is the process we started: its command line carries `marker`
 * (a pid can be reused after the lab's process died). Zombies count as dead.
 */
export function isRunning(pid: number | null, marker: string): boolean {
  if (pid === null) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state letter follows the parenthesised command name.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(marker);
  } catch {
    return false;
  }
}

/** Resident memory of a process and its children (PostgreSQL is a family of processes). */
export function residentBytes(pid: number): number | null {
  try {
    let total = readRss(pid);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const child of children === "" ? [] : children.split(/\s+/)) total += readRss(Number(child));
    return total;
  } catch {
    return null;
  }
}

function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
}

/** SIGTERM, then SIGKILL after `graceMs`: a stop that always ends. */
export async function terminate(pid: number, marker: string, graceMs: number): Promise<"stopped" | "killed" | "not-running"> {
  if (!isRunning(pid, marker)) return "not-running";
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, marker)) return "stopped";
    await delay(100);
  }
  signal(pid, "SIGKILL");
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline) {
    if (!isRunning(pid, marker)) return "killed";
    await delay(100);
  }
  throw new LabError("ComponentFailed", `process ${pid} survived SIGKILL`, { details: { pid } });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // ESRCH: it ended between the check and the signal, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
      throw new LabError("ComponentFailed", `could not send ${name} to ${pid}: ${describeError(error)}`, { cause: error });
    }
  }
}

/** The last `lines` lines of a log file ("" when there is none yet). */
export function tailFile(file: string, lines: number): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return "";
  }
  const all = text.trimEnd().split("\n");
  return all.slice(Math.max(0, all.length - lines)).join("\n");
}
