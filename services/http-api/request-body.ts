import type { IncomingMessage } from "node:http";
import { apiError } from "./api-error.ts";
import type { Decoded } from "./request-params.ts";

/** The largest request body the API reads; a larger one is refused with 413 before it is all read. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `application/json`, optionally with `charset=utf-8` (JSON is UTF-8: RFC 8259). Anything else,
 * or no content type at all, is 415: a form post or a text upload is not guessed at.
 */
export function checkJsonContentType(header: string | undefined): Decoded<null> {
  const refuse = (why: string) => ({ ok: false as const, error: apiError(415, "UnsupportedMediaType", `${why}; send Content-Type: application/json`) });
  if (header === undefined || header.trim() === "") return refuse("the request has no Content-Type");
  const [type, ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") return refuse(`Content-Type ${JSON.stringify(header)} is not JSON`);
  for (const parameter of parameters) {
    if (parameter === "") continue;
    const [name, value] = parameter.split("=").map((part) => part.trim().replace(/^"|"$/g, ""));
    if (name !== "charset" || (value !== "utf-8" && value !== "utf8")) return refuse(`Content-Type parameter ${JSON.stringify(parameter)} is not supported (only charset=utf-8)`);
  }
  return { ok: true, value: null };
}

/**
 * Reads the body as UTF-8 text, at most `limitBytes`. A declared Content-Length over the limit is
 * refused before a byte is read; a body that grows past it (chunked, or lying about its length)
 * is refused as soon as it does, and reading stops there: the caller answers 413 with
 * `Connection: close`, and Node closes the socket once that answer is sent.
 */
export function readBodyText(request: IncomingMessage, limitBytes: number): Promise<Decoded<string>> {
  const tooLarge = (size: string) => ({
    ok: false as const,
    error: apiError(413, "PayloadTooLarge", `the body is ${size}; at most ${limitBytes} bytes are read`, { details: { limitBytes } }),
  });
  const declared = request.headers["content-length"];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limitBytes) return Promise.resolve(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        request.pause();
        resolve(tooLarge(`more than ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      try {
        // fatal: a body that is not UTF-8 is refused, not read with U+FFFD in its place.
        resolve({ ok: true, value: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch {
        resolve({ ok: false, error: apiError(400, "ValidationFailed", "the body is not valid UTF-8", { fields: [{ field: "body", message: "is not valid UTF-8" }] }) });
      }
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    const onAborted = () => {
      cleanUp();
      reject(new Error("the client closed the connection before the body was read"));
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("aborted", onAborted);
  });
}
