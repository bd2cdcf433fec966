import type { IncomingMessage, ServerResponse } from "node:http";
import { crudHasNoPast } from "../designs/cart-designs.ts";
import type { CartDesigns, ReadDesign, WriteDesign } from "../designs/cart-designs.ts";
import type { CartCommandResult } from "../cart/index.ts";
import { LabError, describeError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import { connectKafkaAdmin } from "../runtime/kafka-admin.ts";
import type { KafkaAdmin } from "../runtime/kafka-admin.ts";
import { apiError, errorBody, fromFailure } from "./api-error.ts";
import type { ApiError } from "./api-error.ts";
import { parseCommandBatch } from "./command-batch.ts";
import { openEventStream } from "./event-stream.ts";
import type { EventStream } from "./event-stream.ts";
import { createJournalWatch } from "./journal-watch.ts";
import { streamLiveCart } from "./live-cart-feed.ts";
import type { LiveCartFeed } from "./live-cart-feed.ts";
import { LIVE_PAGE_HTML, LIVE_PAGE_SECURITY_POLICY } from "./live-page.ts";
import { openApiDocument } from "./openapi.ts";
import { DEFAULT_BODY_LIMIT_BYTES, checkJsonContentType, readBodyText } from "./request-body.ts";
import { asOfParams, cartIdParam, designParam, queryParams } from "./request-params.ts";
import type { Decoded } from "./request-params.ts";
import { matchRoute } from "./routes.ts";
import type { RouteName } from "./routes.ts";

/**
 * The cart HTTP API: the CLI's cart contract (apply, state, history, audit) over HTTP for both
 * designs, its OpenAPI description, and the live page with its event stream. The designs come
 * in opened (a composition root opens them on the running stack); the API owns only what it
 * opens itself: the live pages' journal watch, their Kafka consumers and the admin client that
 * removes their groups.
 */
export interface CartApiDeps {
  designs: CartDesigns;
  /** The schema of `designs`' journal: the live pages LISTEN on its channel. */
  journalSchema: string;
  /** The change-event topics of `designs`' CDC variant. */
  cdcTopics: string[];
  kafkaBrokers: string[];
  logger: Logger;
  bodyLimitBytes?: number;
}

export interface CartApi {
  /** The request listener, for `http.createServer`. */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Ends every live stream and closes what the API opened; the designs stay the caller's. */
  close(): Promise<void>;
}

const WRITE_DESIGNS = ["crud", "es"] as const satisfies readonly WriteDesign[];
const READ_DESIGNS = ["crud", "es", "cdc"] as const satisfies readonly ReadDesign[];
const HISTORY_DESIGNS = ["es", "cdc"] as const;

const JSON_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...JSON_HEADERS, "Content-Length": String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

function sendError(response: ServerResponse, error: ApiError): void {
  sendJson(response, error.status, errorBody(error), error.headers ?? {});
}

/** The path and the query of a request target, neither decoded: routing splits segments first. */
function splitTarget(target: string): { path: string; search: URLSearchParams } {
  const mark = target.indexOf("?");
  return mark < 0 ? { path: target, search: new URLSearchParams() } : { path: target.slice(0, mark), search: new URLSearchParams(target.slice(mark + 1)) };
}

export function createCartApi(deps: CartApiDeps): CartApi {
  const log = deps.logger.child({ component: "http-api" });
  const { designs } = deps;
  const bodyLimitBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const journalWatch = createJournalWatch({ pool: designs.pool, journalSchema: deps.journalSchema, readCart: (cartId) => designs.history("es", cartId), logger: deps.logger });
  const streams = new Set<EventStream>();
  const feeds = new Set<LiveCartFeed>();
  const localListeners = new Map<string, Set<(design: WriteDesign) => void>>();
  let admin: Promise<KafkaAdmin> | null = null;
  let closing = false;

  const onLocalChange = (cartId: string, listener: (design: WriteDesign) => void) => {
    const listeners = localListeners.get(cartId) ?? new Set();
    localListeners.set(cartId, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) localListeners.delete(cartId);
    };
  };

  async function forgetGroup(groupId: string): Promise<void> {
    admin ??= connectKafkaAdmin(deps.kafkaBrokers, deps.logger);
    try {
      await (await admin).deleteGroups([groupId]);
    } catch (error) {
      // A group that stays behind holds no partitions and expires with the broker's offset retention.
      admin = null;
      log.debug({ groupId, err: describeError(error) }, "a live page's consumer group was not deleted");
    }
  }

  async function commands(request: IncomingMessage, response: ServerResponse, params: Record<string, string>, search: URLSearchParams): Promise<void> {
    const design = designParam(params["design"] ?? "", WRITE_DESIGNS, "takes commands (cdc is read from Debezium's topics)");
    if (!design.ok) return sendError(response, design.error);
    const query = queryParams(search, []);
    if (!query.ok) return sendError(response, query.error);
    const contentType = checkJsonContentType(request.headers["content-type"]);
    if (!contentType.ok) return sendError(response, contentType.error);
    const body = await readBodyText(request, bodyLimitBytes);
    if (!body.ok) return sendError(response, body.error.status === 413 ? { ...body.error, headers: { Connection: "close" } } : body.error);
    const batch = parseCommandBatch(body.value);
    if (!batch.ok) return sendError(response, batch.error);

    const results: CartCommandResult[] = [];
    const changed = new Set<string>();
    try {
      for (const item of batch.value) {
        const result = await designs.applyRaw(design.value, item.command, item.metadata);
        results.push(result);
        // Validated above, so the command is an object with a cartId.
        if (result.ok) changed.add(String((item.command as { cartId: unknown }).cartId));
      }
    } catch (error) {
      // As apply does: the commands before this one are applied (their results are here), the
      // rest are not; the client retries from `failedIndex`.
      const failure = fromFailure(error);
      log.warn({ design: design.value, failedIndex: results.length, code: failure.code, err: describeError(error) }, "a command failed in the infrastructure");
      return sendError(response, { ...failure, details: { ...failure.details, results, failedIndex: results.length } });
    } finally {
      for (const cartId of changed) for (const listener of localListeners.get(cartId) ?? []) listener(design.value);
    }
    sendJson(response, 200, { results });
  }

  async function state(response: ServerResponse, params: Record<string, string>, search: URLSearchParams): Promise<void> {
    const design = designParam(params["design"] ?? "", READ_DESIGNS, "for state");
    const cartId = cartIdParam(params["cartId"] ?? "");
    const query = queryParams(search, ["at", "version"]);
    const problem = firstProblem(design, cartId, query);
    if (problem !== null) return sendError(response, problem);
    if (!design.ok || !cartId.ok || !query.ok) return;
    const asOf = asOfParams(query.value);
    if (!asOf.ok) return sendError(response, asOf.error);
    // Refused before touching the stack, as `state --design crud --at` is.
    if (design.value === "crud" && asOf.value !== null) {
      const refusal = fromFailure(crudHasNoPast());
      // The design's own hint names CLI flags; a client of the API asks another path.
      return sendError(response, { ...refusal, details: { hint: `Ask /api/designs/cdc/carts/${cartId.value} (replayed from Debezium's topics) or /api/designs/es/carts/${cartId.value} (the journal) with the same query.` } });
    }
    const view = await designs.state(design.value, cartId.value, asOf.value);
    if (view === null) {
      return sendError(response, apiError(404, "CartNotFound", `cart ${cartId.value} is not known to ${design.value}${asOf.value === null ? "" : " at that point"}`));
    }
    sendJson(response, 200, view);
  }

  async function history(response: ServerResponse, params: Record<string, string>, search: URLSearchParams, kind: "history" | "audit"): Promise<void> {
    const design = designParam(params["design"] ?? "", HISTORY_DESIGNS, `for ${kind} (the CRUD tables keep no history)`);
    const cartId = cartIdParam(params["cartId"] ?? "");
    const query = queryParams(search, []);
    const problem = firstProblem(design, cartId, query);
    if (problem !== null) return sendError(response, problem);
    if (!design.ok || !cartId.ok) return;
    // The same arrays `history|audit --json` print: [] for a cart with no history.
    let entries: unknown[];
    if (kind === "history") entries = design.value === "es" ? await designs.history("es", cartId.value) : await designs.cdcTransactions(cartId.value);
    else entries = design.value === "es" ? await designs.audit("es", cartId.value) : await designs.cdcAudit(cartId.value);
    sendJson(response, 200, entries);
  }

  function live(response: ServerResponse, params: Record<string, string>, search: URLSearchParams): void {
    const cartId = cartIdParam(params["cartId"] ?? "");
    const query = queryParams(search, []);
    const problem = firstProblem(cartId, query);
    if (problem !== null) return sendError(response, problem);
    if (!cartId.ok) return;
    if (closing) return sendError(response, apiError(503, "NotRunning", "the server is shutting down"));
    const stream = openEventStream(response);
    streams.add(stream);
    const feed = streamLiveCart({ cartId: cartId.value, stream, designs, journalWatch, cdcTopics: deps.cdcTopics, onLocalChange, forgetGroup, logger: deps.logger });
    feeds.add(feed);
    stream.onClose(() => streams.delete(stream));
    void feed.done.then(() => feeds.delete(feed));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { path, search } = splitTarget(request.url ?? "/");
    const match = matchRoute(request.method ?? "GET", path);
    if (!match.ok) return sendError(response, match.error);
    const name: RouteName = match.route.name;
    switch (name) {
      case "page": {
        // `?cart=ID` preselects the cart; the page reads it itself.
        const query = queryParams(search, ["cart"]);
        if (!query.ok) return sendError(response, query.error);
        response.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": LIVE_PAGE_SECURITY_POLICY,
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
          "Referrer-Policy": "no-referrer",
        });
        response.end(LIVE_PAGE_HTML);
        return;
      }
      case "openapi":
        return sendJson(response, 200, openApiDocument);
      case "health": {
        const query = queryParams(search, []);
        return query.ok ? sendJson(response, 200, { ok: true }) : sendError(response, query.error);
      }
      case "commands":
        return commands(request, response, match.params, search);
      case "state":
        return state(response, match.params, search);
      case "history":
      case "audit":
        return history(response, match.params, search, name);
      case "live":
        return live(response, match.params, search);
      default: {
        const unknown: never = name;
        throw new LabError("UsageInvalid", `route ${String(unknown)} has no handler`);
      }
    }
  }

  return {
    handle(request, response) {
      route(request, response).catch((error: unknown) => {
        const failure = fromFailure(error);
        log.warn({ method: request.method, url: request.url, code: failure.code, err: describeError(error) }, "request failed");
        if (!response.headersSent) sendError(response, failure);
        else response.destroy();
      });
    },
    async close() {
      closing = true;
      for (const stream of streams) stream.end();
      await Promise.all([...feeds].map((feed) => feed.done));
      await journalWatch.close();
      const opened = admin;
      admin = null;
      if (opened !== null) await opened.then((client) => client.close(), (error: unknown) => log.debug({ err: describeError(error) }, "the admin client never connected"));
    },
  };
}

/** The first parameter that did not decode, in path order. */
function firstProblem(...decoded: Decoded<unknown>[]): ApiError | null {
  for (const item of decoded) if (!item.ok) return item.error;
  return null;
}
