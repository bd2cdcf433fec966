import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Lab directories of the tests, apart from the developer's own `.lab`. */
export function testLabDir(name: string): string {
  return path.join(PROJECT_DIR, ".lab", "test", name);
}

/** Unique names per test: topics, groups, slots, tables never collide between runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

/** The lab directory of the shared test stack (LAB_TEST_LAB_DIR lets a run bring its own). */
export function testStackLabDir(): string {
  return process.env["LAB_TEST_LAB_DIR"] ?? testLabDir("stack");
}
