import { cartErrorCodes, cartLimits } from "../cart/index.ts";
import { DEFAULT_ACTOR, MAX_COMMANDS_PER_REQUEST } from "./command-batch.ts";
import { LIVE_EVENTS } from "./event-stream.ts";
import { DEFAULT_BODY_LIMIT_BYTES } from "./request-body.ts";

/**
 * The API's OpenAPI 3.1 description, written by hand beside the code it describes. A unit test
 * (test/unit/http-api/openapi.test.ts) holds its paths and methods equal to the router's table.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref("Error")) });

const id = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" };
const integer = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum });
const command = (type: string, properties: Record<string, unknown>) => ({
  type: "object",
  additionalProperties: false,
  required: ["type", "cartId", ...Object.keys(properties)],
  properties: { type: { const: type }, cartId: id, ...properties },
});

const cartIdParameter = { name: "cartId", in: "path", required: true, schema: id };
const designParameter = (designs: string[]) => ({ name: "design", in: "path", required: true, schema: { type: "string", enum: designs } });

const commonErrors = {
  "404": errorResponse("NotFound: no such route or design; CartNotFound: the design does not know the cart (at that point)"),
  "405": errorResponse("MethodNotAllowed (the Allow header lists the methods the path takes)"),
  "503": errorResponse("NotRunning, ComponentFailed, Timeout or StreamVersionConflict: a part of the stack the request needs is down or failed, or other writers kept changing the cart; retry later"),
  "500": errorResponse("The server's own failure, with a code; never a stack trace"),
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "cdc-es-lab cart API",
    version: "1",
    description:
      "The cart commands of the CLI (apply, state, history, audit) over HTTP, for both designs: crud (tables streamed by Debezium) and es (the event-sourced journal); cdc reads the CRUD design's history back from Kafka. Every error is {\"error\":{\"code\",\"message\"}} with the lab's codes. See docs/http-api.md.",
  },
  paths: {
    "/": {
      get: {
        summary: "The live page: one cart side by side in both designs, pushed as it changes",
        parameters: [{ name: "cart", in: "query", required: false, schema: id, description: "The cart shown first (default 101)" }],
        responses: { "200": { description: "A self-contained HTML page", content: { "text/html": { schema: { type: "string" } } } }, "400": errorResponse("ValidationFailed: an unknown query parameter") },
      },
    },
    "/api/openapi.json": {
      get: { summary: "This description", responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } } },
    },
    "/api/health": {
      get: {
        summary: "The server answers (it does not check the stack)",
        responses: { "200": { description: "Always {\"ok\":true}", content: json({ type: "object", required: ["ok"], properties: { ok: { const: true } } }) }, "400": errorResponse("ValidationFailed: a query parameter") },
      },
    },
    "/api/designs/{design}/commands": {
      post: {
        summary: "Apply commands to one design, in order: one result per command, as `apply` prints them",
        description: `The whole body is validated first (the cart's own validator): one invalid command, an unknown command type or a body of the wrong shape is 400 ValidationFailed and nothing is applied. A command the rules reject (PriceMismatch, CartCheckedOut, ...) is a result {"ok":false,...} in a 200, and writes nothing. Commands without metadata get the body's default metadata, else {"actor":"${DEFAULT_ACTOR}"}. At most ${MAX_COMMANDS_PER_REQUEST} commands and ${DEFAULT_BODY_LIMIT_BYTES} bytes.`,
        parameters: [designParameter(["crud", "es"])],
        requestBody: { required: true, content: json(ref("CommandBatch")) },
        responses: {
          "200": { description: "One result per command, in order", content: json({ type: "object", required: ["results"], properties: { results: { type: "array", items: ref("CommandResult") } } }) },
          "400": errorResponse("ValidationFailed: not JSON or not UTF-8, not the shape, an invalid or unknown command (fields names each, details.rejected each command); a query parameter"),
          "413": errorResponse("PayloadTooLarge: the body is over the limit (the connection is closed)"),
          "415": errorResponse("UnsupportedMediaType: Content-Type is not application/json"),
          ...commonErrors,
          "503": errorResponse("The stack failed mid-batch: details.results holds the results of the commands applied, details.failedIndex the first not applied"),
        },
      },
    },
    "/api/designs/{design}/carts/{cartId}": {
      get: {
        summary: "The cart now, or at a time or version, as `state --json` prints it",
        parameters: [
          designParameter(["crud", "es", "cdc"]),
          cartIdParameter,
          { name: "at", in: "query", required: false, schema: { type: "string", format: "date-time" }, description: "ISO-8601 with Z or an offset; not with version" },
          { name: "version", in: "query", required: false, schema: integer(0, 2_147_483_647), description: "es: the stream version; cdc: the first N transactions; not with at" },
        ],
        responses: {
          "200": { description: "The cart", content: json(ref("CartView")) },
          "400": errorResponse("ValidationFailed: a bad cartId, at or version, both at and version, an unknown parameter"),
          "422": errorResponse("Unsupported: the crud design was asked for the past (its tables keep only the present)"),
          ...commonErrors,
        },
      },
    },
    "/api/designs/{design}/carts/{cartId}/history": {
      get: {
        summary: "The cart's events (es) or its transactions replayed from Kafka (cdc), as `history --json`; [] when none",
        parameters: [designParameter(["es", "cdc"]), cartIdParameter],
        responses: {
          "200": { description: "Oldest first", content: json({ type: "array", items: { oneOf: [ref("JournalEntry"), ref("CdcTransaction")] } }) },
          "400": errorResponse("ValidationFailed: a bad cartId or a query parameter"),
          ...commonErrors,
        },
      },
    },
    "/api/designs/{design}/carts/{cartId}/audit": {
      get: {
        summary: "For each change: operation, actor, reason, time (null where the design cannot tell), as `audit --json`",
        parameters: [designParameter(["es", "cdc"]), cartIdParameter],
        responses: {
          "200": { description: "Oldest first", content: json({ type: "array", items: { oneOf: [ref("JournalAuditEntry"), ref("CdcAuditEntry")] } }) },
          "400": errorResponse("ValidationFailed: a bad cartId or a query parameter"),
          ...commonErrors,
        },
      },
    },
    "/api/carts/{cartId}/live": {
      get: {
        summary: "Server-sent events for the live page",
        description: `Events (each data line is JSON): ${LIVE_EVENTS.join(", ")}. state {design: crud|es|cdc, view: CartView|null} whenever a design's state may have changed; journal: each event of the cart's stream with its actor and reason; change: each Debezium change event of the cart (kind row: op, table, before, after; kind intent: the writer's actor, reason and command); feed {design, status: connecting|live|failed}; problem {design, code, message}.`,
        parameters: [cartIdParameter],
        responses: {
          "200": { description: "An endless text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } },
          "400": errorResponse("ValidationFailed: a bad cartId or a query parameter"),
          ...commonErrors,
        },
      },
    },
  },
  components: {
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: { type: "string", description: "The lab's error codes (docs/http-api.md): cart rejections, LabError codes and NotFound, MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType" },
              message: { type: "string" },
              fields: { type: "array", items: { type: "object", required: ["field", "message"], properties: { field: { type: "string" }, message: { type: "string" } } } },
              details: { type: "object" },
            },
          },
        },
      },
      CommandResult: {
        oneOf: [
          { type: "object", required: ["ok"], properties: { ok: { const: true } }, additionalProperties: false },
          {
            type: "object",
            required: ["ok", "error"],
            properties: { ok: { const: false }, error: { type: "object", required: ["code", "message"], properties: { code: { enum: [...cartErrorCodes] }, message: { type: "string" } } } },
          },
        ],
      },
      CommandMetadata: {
        type: "object",
        additionalProperties: false,
        required: ["actor"],
        properties: {
          actor: { type: "string", minLength: 1, maxLength: cartLimits.maxActorLength },
          reason: { type: ["string", "null"], maxLength: cartLimits.maxReasonLength },
          correlationId: { ...id, type: ["string", "null"] },
        },
      },
      Command: {
        oneOf: [
          command("AddItem", { sku: id, name: { type: "string", minLength: 1, maxLength: cartLimits.maxNameLength }, unitPriceCents: integer(0, cartLimits.maxUnitPriceCents), quantity: integer(1, cartLimits.maxLineQuantity) }),
          command("RemoveItem", { sku: id }),
          command("ApplyDiscount", { discountId: id, sku: id, minQuantity: integer(1, cartLimits.maxLineQuantity), amountCents: integer(cartLimits.minAmountCents, cartLimits.maxAmountCents) }),
          command("RevokeDiscount", { discountId: id }),
          command("CorrectPrice", { sku: id, unitPriceCents: integer(0, cartLimits.maxUnitPriceCents) }),
          command("CheckOut", {}),
          command("AttachCustomer", {
            customerId: id,
            email: { type: "string", maxLength: cartLimits.maxEmailLength },
            name: { type: "string", minLength: 1, maxLength: cartLimits.maxCustomerNameLength },
            shippingAddress: { type: "string", minLength: 1, maxLength: cartLimits.maxShippingAddressLength },
          }),
        ],
      },
      CommandEnvelope: {
        type: "object",
        additionalProperties: false,
        required: ["command"],
        properties: { command: ref("Command"), metadata: ref("CommandMetadata") },
      },
      CommandBatch: {
        oneOf: [
          { type: "array", maxItems: MAX_COMMANDS_PER_REQUEST, items: { oneOf: [ref("Command"), ref("CommandEnvelope")] } },
          {
            type: "object",
            additionalProperties: false,
            required: ["commands"],
            properties: { commands: { type: "array", maxItems: MAX_COMMANDS_PER_REQUEST, items: { oneOf: [ref("Command"), ref("CommandEnvelope")] } }, metadata: ref("CommandMetadata") },
          },
        ],
      },
      CartView: {
        type: "object",
        required: ["cartId", "status", "items", "discounts", "subtotalCents", "totalCents"],
        properties: {
          cartId: id,
          status: { enum: ["open", "checked_out"] },
          items: {
            type: "array",
            description: "sorted by sku",
            items: { type: "object", required: ["sku", "name", "unitPriceCents", "quantity"], properties: { sku: id, name: { type: "string" }, unitPriceCents: { type: "integer" }, quantity: { type: "integer" } } },
          },
          discounts: {
            type: "array",
            description: "sorted by discountId",
            items: { type: "object", required: ["discountId", "sku", "minQuantity", "amountCents"], properties: { discountId: id, sku: id, minQuantity: { type: "integer" }, amountCents: { type: "integer" } } },
          },
          subtotalCents: { type: "integer" },
          totalCents: { type: "integer" },
        },
      },
      JournalEntry: {
        type: "object",
        required: ["streamVersion", "globalPosition", "transactionId", "eventId", "type", "schemaVersion", "storedSchemaVersion", "data", "metadata", "recordedAt"],
        properties: {
          streamVersion: { type: "integer" },
          globalPosition: { type: "string" },
          transactionId: { type: "string" },
          eventId: { type: "string" },
          type: { type: "string" },
          schemaVersion: { type: "integer" },
          storedSchemaVersion: { type: "integer" },
          data: { type: "object" },
          metadata: { type: "object" },
          recordedAt: { type: "string" },
        },
      },
      CdcTransaction: {
        type: "object",
        required: ["txId", "committedAt", "lsn", "changes", "intent"],
        properties: {
          txId: { type: "integer" },
          committedAt: { type: "integer", description: "epoch ms" },
          lsn: { type: "integer" },
          changes: {
            type: "array",
            items: { type: "object", properties: { table: { type: "string" }, op: { enum: ["c", "u", "d", "r"] }, before: { type: ["object", "null"] }, after: { type: ["object", "null"] }, lsn: { type: "integer" } } },
          },
          intent: { type: ["object", "null"] },
        },
      },
      JournalAuditEntry: {
        type: "object",
        required: ["streamVersion", "operation", "actor", "reason", "correlationId", "at", "recordedAt"],
        properties: {
          streamVersion: { type: "integer" },
          operation: { type: "string" },
          actor: { type: ["string", "null"] },
          reason: { type: ["string", "null"] },
          correlationId: { type: ["string", "null"] },
          at: { type: "string" },
          recordedAt: { type: "string" },
        },
      },
      CdcAuditEntry: {
        type: "object",
        required: ["txId", "operation", "actor", "reason", "correlationId", "at", "committedAt", "rowChanges"],
        properties: {
          txId: { type: "integer" },
          operation: { type: ["string", "null"] },
          actor: { type: ["string", "null"] },
          reason: { type: ["string", "null"] },
          correlationId: { type: ["string", "null"] },
          at: { type: "string" },
          committedAt: { type: "string" },
          rowChanges: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
} as const;
