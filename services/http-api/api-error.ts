import type { CartErrorCode, FieldError } from "../cart/index.ts";
import type { LabErrorCode } from "../platform/errors.ts";
import { isLabError } from "../platform/errors.ts";

/**
 * What the API answers when it does not answer the question: a status and
 * `{"error":{"code","message",...}}`. The codes are the lab's own (LabError's and the cart's
 * rejections) plus the few only HTTP has. A client's mistake is data built where it is found
 * (never thrown); only infrastructure failures arrive as thrown LabErrors, mapped by `fromFailure`.
 */
export type HttpOnlyErrorCode = "NotFound" | "MethodNotAllowed" | "PayloadTooLarge" | "UnsupportedMediaType";
export type ApiErrorCode = LabErrorCode | CartErrorCode | HttpOnlyErrorCode;

export interface ApiError {
  status: number;
  code: ApiErrorCode;
  message: string;
  /** ValidationFailed: one entry per bad field, dotted from the top of the request (`commands.2.quantity`). */
  fields?: FieldError[];
  /** Anything else a client can act on (the commands applied before a failure, the allowed methods). */
  details?: Record<string, unknown>;
  /** Response headers this error needs (`Allow` on a 405). */
  headers?: Record<string, string>;
}

export function apiError(status: number, code: ApiErrorCode, message: string, extra: Pick<ApiError, "fields" | "details" | "headers"> = {}): ApiError {
  return { status, code, message, ...extra };
}

/** The JSON body of an error response; never a stack trace. */
export function errorBody(error: ApiError): { error: { code: ApiErrorCode; message: string; fields?: FieldError[]; details?: Record<string, unknown> } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields === undefined ? {} : { fields: error.fields }),
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/**
 * Status of a LabError the designs threw. The stack being down or failing is 503 (the request
 * may succeed later); `Unsupported` is 422 (well formed, but the design cannot answer it: the
 * CRUD tables have no past); a usage error is the client's, 400. Anything else is the lab's
 * own failure, 500, still with its code.
 */
const labErrorStatus: Partial<Record<LabErrorCode, number>> = {
  NotRunning: 503,
  ComponentFailed: 503,
  Timeout: 503,
  StreamVersionConflict: 503,
  Unsupported: 422,
  UsageInvalid: 400,
};

/** A thrown failure as the client sees it: its code and message when it is a LabError, a generic 500 otherwise. */
export function fromFailure(error: unknown): ApiError {
  if (isLabError(error)) {
    const status = labErrorStatus[error.code] ?? 500;
    return apiError(status, error.code, error.message, error.hint === undefined ? {} : { details: { hint: error.hint } });
  }
  // Not the lab's own error: its message may be a driver's internals. The server's log has it.
  return apiError(500, "ComponentFailed", "the server failed unexpectedly; its log says why");
}
