import type { ServerResponse } from "node:http";

/**
 * A server-sent events response (text/event-stream): named events with one JSON line of data
 * each. JSON.stringify escapes every newline, so one `data:` line always holds the whole value.
 */
export const LIVE_EVENTS = ["state", "journal", "change", "feed", "problem"] as const;
export type LiveEventName = (typeof LIVE_EVENTS)[number];

export interface EventStream {
  send(event: LiveEventName, data: unknown): void;
  /** Calls `listener` once, when the client goes away or the server ends the stream. */
  onClose(listener: () => void): void;
  end(): void;
  readonly closed: boolean;
}

/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** How long the browser's EventSource waits before it reconnects after a drop. */
const RETRY_MS = 2_000;

export function openEventStream(response: ServerResponse): EventStream {
  response.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Content-Type-Options": "nosniff",
  });
  response.write(`retry: ${RETRY_MS}\n\n`);
  let closed = false;
  const listeners: (() => void)[] = [];
  const heartbeat = setInterval(() => response.write(": keep-alive\n\n"), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) listener();
  };
  response.on("close", close);
  return {
    send(event, data) {
      if (closed) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    end() {
      close();
      response.end();
    },
    get closed() {
      return closed;
    },
  };
}
