import { LabError } from "../platform/errors.ts";
import type { ExpectedVersion } from "./event-journal.ts";

/**
 * The stream moved on since the caller read it: another writer appended first. Nothing of the
 * refused batch was written. Retriable: reload, decide again, append again.
 */
export class StreamVersionConflict extends LabError {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The stream's version when the conflict was seen. */
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number, options: { cause?: unknown } = {}) {
    super("StreamVersionConflict", `stream ${streamId} is at version ${actual}, expected ${expected === "no_stream" ? "no stream" : expected}`, {
      cause: options.cause,
      retriable: true,
      details: { streamId, expected, actual },
    });
    this.name = "StreamVersionConflict";
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export function isStreamVersionConflict(error: unknown): error is StreamVersionConflict {
  return error instanceof StreamVersionConflict;
}
