import { cdcTopics } from "../crud-cdc/cdc-variant.ts";
import { DEFAULT_DESIGNS } from "../designs/cart-designs.ts";
import { createCartApi } from "../http-api/cart-api.ts";
import { listenCartApi } from "../http-api/listen-cart-api.ts";
import type { ServingCartApi } from "../http-api/listen-cart-api.ts";
import { LabError } from "../platform/errors.ts";
import type { CartCommandContext } from "./cart-commands.ts";
import { parseFlags } from "./cli-flags.ts";
import { openStackDesigns } from "./stack-designs.ts";
import { waitForSignal } from "./wait-for-signal.ts";

/** Loopback by default: the API writes to the lab's database and has no authentication. */
export const DEFAULT_SERVE_HOST = "127.0.0.1";
export const DEFAULT_SERVE_PORT = 8080;

/** `--port`: a decimal 0..65535; 0 lets the system choose a free port (the printed URL says which). */
export function portFlag(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new LabError("UsageInvalid", `--port must be a whole number from 0 to 65535, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `--host`: an address or name to listen on, no scheme, no port. */
export function hostFlag(text: string): string {
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(text)) throw new LabError("UsageInvalid", `--host must be an address or a host name such as 127.0.0.1, 0.0.0.0 or ::1, got ${JSON.stringify(text)}`);
  return text;
}

/**
 * `serve`: the cart HTTP API and the live page on the running stack, until SIGINT or SIGTERM;
 * then the live streams end, requests in flight finish (for at most a few seconds) and the
 * designs close. The URL goes to stderr, as all progress does.
 */
export async function serveCommand(args: string[], context: CartCommandContext): Promise<number> {
  const { values } = parseFlags(args, { port: { type: "string", default: String(DEFAULT_SERVE_PORT) }, host: { type: "string", default: DEFAULT_SERVE_HOST }, runtime: { type: "string" } });
  const port = portFlag(values.port);
  const host = hostFlag(values.host);
  const signals = waitForSignal((name) => process.stderr.write(`cdc-es-lab: ${name} again: exiting now\n`));
  try {
    const { designs, endpoints } = await openStackDesigns(context, ["postgres"]);
    const api = createCartApi({
      designs,
      journalSchema: DEFAULT_DESIGNS.journalSchema,
      cdcTopics: cdcTopics(DEFAULT_DESIGNS.variant).all,
      kafkaBrokers: endpoints.kafkaBrokers,
      logger: context.logger,
    });
    let serving: ServingCartApi | null = null;
    try {
      serving = await listenCartApi(api, { host, port });
      process.stderr.write(`cdc-es-lab: serving the cart API and the live page at ${serving.url} (API description: ${serving.url}api/openapi.json; Ctrl-C stops)\n`);
      const signal = await signals.received;
      process.stderr.write(`cdc-es-lab: ${signal}: closing the live streams and the designs\n`);
    } finally {
      try {
        if (serving !== null) await serving.close();
        else await api.close();
      } finally {
        await designs.close();
      }
    }
  } finally {
    signals.dispose();
  }
  return 0;
}
