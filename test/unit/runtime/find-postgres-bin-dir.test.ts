import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LabError } from "../../../services/platform/errors.ts";
import { findPostgresBinDir } from "../../../services/runtime/local/executables.ts";

function fakeBinDir(root: string, name: string, tools = ["initdb", "pg_ctl", "postgres"]): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) {
    writeFileSync(path.join(dir, tool), "#!/bin/sh\n");
    chmodSync(path.join(dir, tool), 0o755);
  }
  return dir;
}

describe("finding PostgreSQL's server binaries", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "pgbin-"));

  it("takes LAB_PG_BINDIR when it holds the tools", () => {
    const dir = fakeBinDir(root, "explicit");
    expect(findPostgresBinDir(dir, [], path.join(root, "none"))).toBe(dir);
  });

  it("refuses an explicit directory that lacks a tool, naming the setting", () => {
    const dir = fakeBinDir(root, "partial", ["initdb", "pg_ctl"]);
    expect(() => findPostgresBinDir(dir, [], path.join(root, "none"))).toThrow(/LAB_PG_BINDIR=.*partial does not hold/);
  });

  it("finds initdb on PATH", () => {
    const dir = fakeBinDir(root, "on-path");
    expect(findPostgresBinDir(null, [path.join(root, "empty"), dir], path.join(root, "none"))).toBe(dir);
  });

  it("falls back to the newest major version under the versions root", () => {
    const versions = path.join(root, "lib-postgresql");
    fakeBinDir(versions, "14/bin");
    const newest = fakeBinDir(versions, "16/bin");
    mkdirSync(path.join(versions, "not-a-version"));
    expect(findPostgresBinDir(null, [], versions)).toBe(newest);
  });

  it("says what it searched and how to install them when there are none", () => {
    try {
      findPostgresBinDir(null, [path.join(root, "empty")], path.join(root, "none"));
      expect.unreachable("no binaries should be found");
    } catch (error) {
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).code).toBe("PrerequisiteMissing");
      expect((error as LabError).hint).toContain("apt-get install postgresql");
    }
  });
});
