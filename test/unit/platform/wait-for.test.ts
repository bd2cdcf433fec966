import { describe, expect, it } from "vitest";
import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";

describe("waitFor", () => {
  it("returns the first defined value", async () => {
    let calls = 0;
    const value = await waitFor(async () => (++calls === 3 ? "ready" : undefined), { what: "x", timeoutMs: 5_000, intervalMs: 1 });
    expect(value).toBe("ready");
    expect(calls).toBe(3);
  });

  it("times out with a retriable Timeout error naming what it waited for and the last problem", async () => {
    const error = await waitFor(
      async () => {
        throw new Error("connection refused");
      },
      { what: "the broker", timeoutMs: 30, intervalMs: 5, onTimeout: () => ({ logTail: "last lines" }) },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe("Timeout");
    expect((error as LabError).message).toContain("waiting for the broker (last: connection refused)");
    expect((error as LabError).details).toMatchObject({ logTail: "last lines" });
  });

  it("stops at once on a non-retriable LabError", async () => {
    let calls = 0;
    const error = await waitFor(
      async () => {
        calls += 1;
        throw new LabError("ComponentFailed", "connector FAILED");
      },
      { what: "connector", timeoutMs: 5_000, intervalMs: 1 },
    ).catch((caught: unknown) => caught);
    expect((error as LabError).message).toBe("connector FAILED");
    expect(calls).toBe(1);
  });
});
