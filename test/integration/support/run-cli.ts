import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_DIR } from "./test-lab.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Sends SIGINT (as Ctrl-C does) once, the first time stderr so far satisfies this. */
  signalWhen?: (stderr: string) => boolean;
  /** Called with stdout so far after every chunk: how a test acts at a given point of the output (a fault mid-apply). */
  onStdout?: (stdout: string) => void;
}

/** Runs the CLI as a user does: a separate process, its own environment, exit code and streams. */
export function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 240_000, options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "bin", "cdc-es-lab.mjs"), ...args], {
      cwd: PROJECT_DIR,
      env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout);
    });
    let signalled = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && options.signalWhen?.(stderr) === true) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`cdc-es-lab ${args.join(" ")} did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
