/**
 * One error hierarchy for the whole lab (modelled on kafkajs): a closed set of string codes,
 * structured details, a cause, and whether retrying can help. Infrastructure failures are
 * `LabError`s; the cart's rule rejections are data returned by `decide`, turned into
 * `CartRejectedError` only by the adapters that must throw.
 */
export type LabErrorCode =
  | "ConfigInvalid"
  | "UsageInvalid"
  | "InputUnreadable"
  | "PrerequisiteMissing"
  | "PortInUse"
  | "ComponentFailed"
  | "Timeout"
  | "NotRunning"
  | "LabBusy"
  | "Interrupted"
  | "RuntimeUnavailable"
  | "ExternalStackInvalid"
  | "DecodeFailed"
  | "StreamVersionConflict"
  | "Unsupported";

export interface LabErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  retriable?: boolean;
  /** What the user can do about it; printed under the message by the CLI. */
  hint?: string;
}

export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly details: Record<string, unknown>;
  readonly retriable: boolean;
  readonly hint: string | undefined;

  constructor(code: LabErrorCode, message: string, options: LabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LabError";
    this.code = code;
    this.details = options.details ?? {};
    this.retriable = options.retriable ?? false;
    this.hint = options.hint;
  }
}

export function isLabError(error: unknown): error is LabError {
  return error instanceof LabError;
}

/** The message of anything thrown, for wrapping into a LabError with context. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
