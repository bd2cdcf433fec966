import type { ExpectedVersion } from "./event-journal.ts";

/**
 * The stream moved on since the caller read it: another writer appended first. Nothing of the
 * refused batch was written. Retriable: reload, decide again, append again.
 *
 * Its own class rather than a `LabError` because `LabErrorCode` has no code for it yet; it keeps
 * the same shape (`code`, `retriable`, `details`, `cause`) so callers treat both alike.
 */
export class StreamVersionConflict extends Error {
  readonly code = "StreamVersionConflict";
  readonly retriable = true;
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The stream's version when the conflict was seen. */
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number, options: { cause?: unknown } = {}) {
    super(
      `stream ${streamId} is at version ${actual}, expected ${expected === "no_stream" ? "no stream" : expected}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "StreamVersionConflict";
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }

  get details(): Record<string, unknown> {
    return { streamId: this.streamId, expected: this.expected, actual: this.actual };
  }
}

export function isStreamVersionConflict(error: unknown): error is StreamVersionConflict {
  return error instanceof StreamVersionConflict;
}
