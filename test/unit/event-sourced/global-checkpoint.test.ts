import { describe, expect, it } from "vitest";
import {
  checkpoint,
  compareCheckpoints,
  formatCheckpoint,
  initialCheckpoint,
  isSameCheckpoint,
  parseCheckpoint,
} from "../../../services/event-sourced/global-checkpoint.ts";

describe("global checkpoints", () => {
  it("order by transaction first, then by position", () => {
    // The late-committing transaction took position 5 but started before the one at position 9.
    const early = checkpoint("100", "9");
    const late = checkpoint("101", "5");
    expect(compareCheckpoints(early, late)).toBeLessThan(0);
    expect(compareCheckpoints(late, early)).toBeGreaterThan(0);
    expect(compareCheckpoints(checkpoint("100", "9"), checkpoint("100", "10"))).toBeLessThan(0);
    expect(isSameCheckpoint(checkpoint("100", "9"), checkpoint("100", "9"))).toBe(true);
  });

  it("compare numerically, not as text", () => {
    expect(compareCheckpoints(checkpoint("9", "1"), checkpoint("10", "1"))).toBeLessThan(0);
    expect(compareCheckpoints(checkpoint("1", "99"), checkpoint("1", "100"))).toBeLessThan(0);
  });

  it("stay exact beyond 2^53", () => {
    const a = checkpoint("18446744073709551614", "9007199254740993");
    const b = checkpoint("18446744073709551614", "9007199254740992");
    expect(compareCheckpoints(a, b)).toBeGreaterThan(0);
    expect(isSameCheckpoint(a, b)).toBe(false);
  });

  it("start before every event", () => {
    expect(compareCheckpoints(initialCheckpoint(), checkpoint("3", "1"))).toBeLessThan(0);
  });

  it("round-trip through txid:position text", () => {
    const value = checkpoint("747", "12");
    expect(formatCheckpoint(value)).toBe("747:12");
    expect(parseCheckpoint("747:12")).toEqual(value);
  });

  it.each(["", "1", "1:2:3", "-1:2", "1:x", "01:2", "1.5:2", " 1:2"])("rejects %j", (text) => {
    expect(() => parseCheckpoint(text)).toThrow(expect.objectContaining({ code: "DecodeFailed" }));
  });
});
