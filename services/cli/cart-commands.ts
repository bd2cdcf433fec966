import { readFileSync } from "node:fs";
import type { CartView } from "../cart/index.ts";
import { crudHasNoPast } from "../designs/cart-designs.ts";
import type { AsOf, CartDesigns, ReadDesign, WriteDesign } from "../designs/cart-designs.ts";
import type { LabConfig } from "../platform/config.ts";
import { LabError, describeError, isLabError } from "../platform/errors.ts";
import type { Logger } from "../platform/logger.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { cartFlag, isoTimeFlag, parseFlags, versionFlag } from "./cli-flags.ts";
import { openStackDesigns } from "./stack-designs.ts";

/** `apply`, `state`, `history`, `audit`: the cart commands' contract (brief section 6). */
export interface CartCommandContext {
  config: LabConfig;
  logger: Logger;
  runtime: Runtime;
}

/** `apply`'s exit code when the file was applied but at least one line was rejected (documented in cli.md). */
export const EXIT_SOME_REJECTED = 4;

/**
 * Opens both designs on the running stack for one command, and closes them after it. Writes
 * need PostgreSQL only; reading the CDC history needs Kafka (see `openStackDesigns`).
 */
async function withDesigns<T>(context: CartCommandContext, needs: "postgres" | "kafka", work: (designs: CartDesigns) => Promise<T>): Promise<T> {
  const { designs } = await openStackDesigns(context, needs === "kafka" ? ["postgres", "kafka"] : ["postgres"]);
  try {
    return await work(designs);
  } finally {
    await designs.close();
  }
}

function designFlag<T extends string>(value: string | undefined, allowed: readonly T[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new LabError("UsageInvalid", `--design must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

/**
 * One JSON command a line: either the command itself (`{"type":"AddItem",...}`, metadata from
 * --actor/--reason) or `{"command": {...}, "metadata": {...}}`. One JSON result a line back.
 */
export async function applyCommand(args: string[], context: CartCommandContext): Promise<number> {
  const { values, positionals } = parseFlags(args, { design: { type: "string" }, actor: { type: "string", default: "cli" }, reason: { type: "string" }, runtime: { type: "string" } }, true);
  const design = designFlag<WriteDesign>(values.design, ["crud", "es"]);
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new LabError("UsageInvalid", "apply takes one FILE of JSON lines (- for standard input)");
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    // The command was well formed; the file is what is wrong, so no usage text.
    throw new LabError("InputUnreadable", `cannot read ${file}: ${describeError(error)}`, { cause: error });
  }
  const defaultMetadata = { actor: values.actor, ...(values.reason === undefined ? {} : { reason: values.reason }) };
  return withDesigns(context, "postgres", async (designs) => {
    let rejected = 0;
    const lines = text.split("\n");
    for (const [index, line] of lines.entries()) {
      if (line.trim() === "") continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: "ValidationFailed", message: `line ${index + 1} is not JSON: ${describeError(error)}` } })}\n`);
        rejected += 1;
        continue;
      }
      const enveloped = parsed !== null && typeof parsed === "object" && "command" in parsed;
      const command = enveloped ? (parsed as { command: unknown }).command : parsed;
      const metadata = enveloped ? ((parsed as { metadata?: unknown }).metadata ?? defaultMetadata) : defaultMetadata;
      let result;
      try {
        result = await designs.applyRaw(design, command, metadata);
      } catch (error) {
        // One result line per command line, even for the one the infrastructure failed on;
        // the lines after it are not applied, and the exit code says so.
        const message = `line ${index + 1}: ${describeError(error)}`;
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: "ComponentFailed", message } })}\n`);
        // The user reads one line on stderr too, with its code; the driver's raw error stays the cause.
        throw isLabError(error) ? error : new LabError("ComponentFailed", `${message} (the lines after it were not applied)`, { cause: error, hint: "Check `cdc-es-lab status`, start what is down with `cdc-es-lab up`, then apply the lines from this one on." });
      }
      process.stdout.write(`${JSON.stringify(result)}\n`);
      if (!result.ok) rejected += 1;
    }
    return rejected === 0 ? 0 : EXIT_SOME_REJECTED;
  });
}

function asOfFlags(at: string | undefined, version: string | undefined): AsOf {
  if (at !== undefined && version !== undefined) throw new LabError("UsageInvalid", "give --at or --version, not both");
  if (at !== undefined) return { at: new Date(isoTimeFlag("--at", at)).toISOString() };
  if (version !== undefined) return { version: versionFlag("--version", version) };
  return null;
}

export async function stateCommand(args: string[], context: CartCommandContext): Promise<number> {
  const { values } = parseFlags(args, { design: { type: "string" }, cart: { type: "string" }, at: { type: "string" }, version: { type: "string" }, json: { type: "boolean", default: false }, runtime: { type: "string" } });
  const design = designFlag<ReadDesign>(values.design, ["crud", "es", "cdc"]);
  const cartId = cartFlag(values.cart);
  const asOf = asOfFlags(values.at, values.version);
  if (design === "crud" && asOf !== null) {
    // Refused before touching the stack: the tables have no past to ask.
    throw crudHasNoPast();
  }
  const view = await withDesigns(context, design === "cdc" ? "kafka" : "postgres", (designs) => designs.state(design, cartId, asOf));
  process.stdout.write(values.json ? `${JSON.stringify(view)}\n` : formatView(cartId, view));
  return 0;
}

function formatView(cartId: string, view: CartView | null): string {
  if (view === null) return `cart ${cartId}: no such cart (at that point)\n`;
  const lines = [`cart ${view.cartId}: ${view.status}`];
  for (const item of view.items) lines.push(`  ${item.sku.padEnd(16)} x${String(item.quantity).padEnd(6)} @${item.unitPriceCents}  ${item.name}`);
  for (const discount of view.discounts) lines.push(`  discount ${discount.discountId}: ${discount.amountCents} on ${discount.sku} (>= ${discount.minQuantity})`);
  lines.push(`  subtotal ${view.subtotalCents}, total ${view.totalCents}`);
  return `${lines.join("\n")}\n`;
}

export async function historyCommand(args: string[], context: CartCommandContext, kind: "history" | "audit"): Promise<number> {
  const { values } = parseFlags(args, { design: { type: "string" }, cart: { type: "string" }, json: { type: "boolean", default: false }, runtime: { type: "string" } });
  const design = designFlag<"es" | "cdc">(values.design, ["es", "cdc"]);
  const cartId = cartFlag(values.cart);
  const entries = await withDesigns(context, design === "cdc" ? "kafka" : "postgres", async (designs): Promise<unknown[]> => {
    if (kind === "history") return design === "es" ? designs.history("es", cartId) : designs.cdcTransactions(cartId);
    return design === "es" ? designs.audit("es", cartId) : designs.cdcAudit(cartId);
  });
  if (values.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  else for (const entry of entries) process.stdout.write(`${JSON.stringify(entry)}\n`);
  return 0;
}
