import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LabError, describeError } from "../platform/errors.ts";
import type { CartApi } from "./cart-api.ts";

export interface ListenOptions {
  host: string;
  /** 0: any free port (the URL says which). */
  port: number;
}

export interface ServingCartApi {
  /** Where it listens, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  /** Stops accepting, ends the live streams, lets requests in flight finish (bounded), closes the API. */
  close(): Promise<void>;
}

/** How long a shutdown waits for requests in flight (a batch of commands) before cutting them. */
const DRAIN_MS = 5_000;
/** Bounds how long a client may take to send one request (its headers and body); live streams are responses, not bound by it. */
const REQUEST_TIMEOUT_MS = 60_000;

export async function listenCartApi(api: CartApi, options: ListenOptions): Promise<ServingCartApi> {
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (request, response) => api.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(new LabError("PortInUse", `${options.host}:${options.port} is already in use`, { cause: error, hint: "Choose another with --port N (0 picks a free one)." }));
      } else {
        reject(new LabError("ComponentFailed", `cannot listen on ${options.host}:${options.port}: ${describeError(error)}`, { cause: error, hint: "Check --host: an address of this machine, e.g. 127.0.0.1 or 0.0.0.0." }));
      }
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(options.port, options.host);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}/`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // One bound for the whole shutdown, armed first: a live feed still waiting on a Kafka that
        // went away must not hold the exit past it (docker stop's grace period is 10 s).
        let timer: NodeJS.Timeout | undefined;
        const drained = new Promise<"cut">((resolve) => {
          timer = setTimeout(() => {
            server.closeAllConnections();
            resolve("cut");
          }, DRAIN_MS);
        });
        try {
          const apiClosed = await Promise.race([api.close().then(() => "closed" as const), drained]);
          server.closeIdleConnections();
          await Promise.race([stopped, drained]);
          if (apiClosed === "cut") {
            throw new LabError("Timeout", `the live streams' Kafka consumers did not close within ${DRAIN_MS} ms; the server stopped without them`, {
              hint: "Check Kafka with cdc-es-lab status: consumers left behind are removed by the broker once their session times out.",
            });
          }
        } finally {
          clearTimeout(timer);
        }
      })();
      return closing;
    },
  };
}
