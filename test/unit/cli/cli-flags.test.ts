import { describe, expect, it } from "vitest";
import { cartFlag, isoTimeFlag, parseFlags, seedFlag, versionFlag } from "../../../services/cli/cli-flags.ts";
import { LabError } from "../../../services/platform/errors.ts";

function usageError(work: () => unknown): LabError {
  try {
    work();
  } catch (error) {
    if (error instanceof LabError && error.code === "UsageInvalid") return error;
    throw error;
  }
  throw new Error("expected a UsageInvalid error");
}

describe("--at", () => {
  it("takes ISO-8601 times with Z or an offset, to the millisecond", () => {
    expect(isoTimeFlag("--at", "2026-11-30T10:42:00Z")).toBe(Date.UTC(2026, 10, 30, 10, 42));
    expect(isoTimeFlag("--at", "2026-11-30T11:42+01:00")).toBe(Date.UTC(2026, 10, 30, 10, 42));
    expect(isoTimeFlag("--at", "2026-11-30T10:42:00.125Z")).toBe(Date.UTC(2026, 10, 30, 10, 42, 0, 125));
    expect(isoTimeFlag("--at", "0001-01-01T00:00:00Z")).toBe(-62_135_596_800_000);
  });

  it.each(["1", "2024", "Tuesday 5", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2026-11-30T10:42:00", "2026-11-30 10:42:00Z", "2026-11-30T24:00:00Z", "2026-11-30T10:60Z", "+010000-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", ""])(
    "refuses %j",
    (text) => {
      expect(usageError(() => isoTimeFlag("--at", text)).message).toContain("--at");
    },
  );

  it("accepts the leap day of a leap year", () => {
    expect(isoTimeFlag("--at", "2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });
});

describe("--version", () => {
  it("takes decimal whole numbers up to PostgreSQL's integer", () => {
    expect(versionFlag("--version", "0")).toBe(0);
    expect(versionFlag("--version", "2147483647")).toBe(2_147_483_647);
  });

  it.each(["2147483648", "1e21", "", "0x3", "-1", "1.5", " 3", "99999999999"])("refuses %j", (text) => {
    expect(usageError(() => versionFlag("--version", text)).message).toContain("--version must be a whole number from 0 to 2147483647");
  });
});

describe("--seed and --cart", () => {
  it("takes whole seeds, negative ones too, and refuses the rest", () => {
    expect(seedFlag("-3")).toBe(-3);
    for (const text of ["", "0x3", "1e3", "1.5"]) usageError(() => seedFlag(text));
  });

  it("takes cart ids of the rules' shape only", () => {
    expect(cartFlag("cart-101")).toBe("cart-101");
    for (const text of [undefined, "", "no such cart", "-leading", "x".repeat(65)]) usageError(() => cartFlag(text));
  });
});

describe("parseFlags", () => {
  const options = { design: { type: "string" }, json: { type: "boolean" } } as const;

  it("parses as parseArgs does", () => {
    expect(parseFlags(["--design", "es", "--json"], options).values).toEqual({ design: "es", json: true });
  });

  it("refuses a single-value flag given twice, an unknown flag and a stray positional", () => {
    expect(usageError(() => parseFlags(["--design", "es", "--design", "crud"], options)).message).toBe("--design was given more than once");
    usageError(() => parseFlags(["--json", "--json"], options));
    usageError(() => parseFlags(["--nope"], options));
    usageError(() => parseFlags(["file"], options));
  });
});
