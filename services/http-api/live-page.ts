import { createHash } from "node:crypto";

/**
 * The live page (GET /): one cart side by side in both designs, as a workshop drives it. One
 * self-contained document: inline CSS and JS, nothing fetched but this server's own API, every
 * value from the server shown as text (textContent), never as markup. The Content-Security-Policy
 * allows exactly the inline script and style below (by hash) and connections to this origin.
 */
const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6678; --line: #d9dee8; --crud: #0b6e4f; --es: #6b3fa0; --warn: #a33; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7fa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
h1 { font-size: 17px; margin: 0; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 14px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
form { display: flex; gap: 8px; align-items: center; }
input, select, textarea, button { font: inherit; }
input, select, textarea { border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; background: #fff; }
button { border: 1px solid #8791a5; border-radius: 4px; padding: 4px 12px; background: #fff; cursor: pointer; }
main { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 20px; }
section.design { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; min-width: 0; }
section.crud { border-top: 4px solid var(--crud); }
section.es { border-top: 4px solid var(--es); }
.status { color: var(--muted); font-size: 12px; }
.feed-live { color: var(--crud); }
.feed-failed, .problem { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #eef0f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.view-empty { color: var(--muted); font-style: italic; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #eef0f4; font-size: 12px; }
.total { font-weight: 600; margin-top: 4px; }
ol.events { list-style: none; margin: 0; padding: 0; max-height: 420px; overflow: auto; font-size: 13px; }
ol.events li { border-bottom: 1px solid #eef0f4; padding: 4px 2px; overflow-wrap: anywhere; }
.kind { font-weight: 600; }
.who { color: var(--es); }
section.crud .who { color: var(--crud); }
.detail { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
#send { padding: 0 20px 20px; }
#send textarea { width: 100%; min-height: 90px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
#send-results { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; white-space: pre-wrap; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;

const SCRIPT = `
"use strict";
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const $ = (id) => document.getElementById(id);
const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
};
let source = null;
let cartId = null;
const intents = new Map();
const rowsByTx = new Map();

function renderView(design, view) {
  const box = $("state-" + design);
  box.replaceChildren();
  box.dataset.status = view === null ? "none" : view.status;
  box.dataset.total = view === null ? "" : String(view.totalCents);
  if (view === null) { box.append(el("p", "view-empty", design === "cdc" ? "not in the topics (yet)" : "no such cart (yet)")); return; }
  box.append(el("span", "badge", view.status));
  const table = el("table");
  const head = el("tr");
  for (const [text, cls] of [["sku", ""], ["name", ""], ["qty", "num"], ["unit ¢", "num"]]) head.append(el("th", cls, text));
  table.append(head);
  for (const item of view.items) {
    const row = el("tr");
    row.append(el("td", "", item.sku), el("td", "", item.name), el("td", "num", item.quantity), el("td", "num", item.unitPriceCents));
    table.append(row);
  }
  for (const discount of view.discounts) {
    const row = el("tr");
    row.append(el("td", "", "discount " + discount.discountId), el("td", "", discount.sku + " ≥ " + discount.minQuantity), el("td", "num", ""), el("td", "num", discount.amountCents));
    table.append(row);
  }
  box.append(table, el("div", "total", "subtotal " + view.subtotalCents + "¢ · total " + view.totalCents + "¢"));
}

function who(actor, reason) {
  if (actor === null || actor === undefined) return "";
  return "by " + actor + (reason ? " — " + reason : "");
}

function addJournal(event) {
  const item = el("li");
  item.dataset.type = event.type;
  item.dataset.version = String(event.streamVersion);
  const data = Object.assign({}, event.data);
  delete data.cartId;
  item.append(el("span", "kind", "v" + event.streamVersion + " " + event.type), document.createTextNode(" "), el("span", "who", who(event.actor, event.reason)), el("div", "detail", JSON.stringify(data) + " · " + event.recordedAt));
  $("journal").prepend(item);
}

function rowSummary(change) {
  const image = change.after || change.before || {};
  const key = image.sku !== undefined ? image.sku : image.discount_id !== undefined ? image.discount_id : image.cart_id;
  return change.table + " " + (key === undefined ? "" : key);
}

const OPS = { c: "insert", u: "update", d: "delete", r: "snapshot read", m: "intent message" };

function addChange(change) {
  const item = el("li");
  item.dataset.kind = change.kind;
  item.dataset.op = change.op;
  item.dataset.tx = String(change.txId);
  const whoSpan = el("span", "who", "");
  if (change.kind === "intent") {
    const intent = change.intent;
    intents.set(change.txId, intent);
    item.append(el("span", "kind", "m " + intent.commandType + " → " + intent.events.join("+")), document.createTextNode(" "), whoSpan);
    whoSpan.textContent = who(intent.actor, intent.reason);
    for (const span of rowsByTx.get(change.txId) || []) span.textContent = who(intent.actor, intent.reason);
  } else {
    item.append(el("span", "kind", change.op + " " + rowSummary(change)), document.createTextNode(" "), whoSpan);
    const intent = intents.get(change.txId);
    if (intent) whoSpan.textContent = who(intent.actor, intent.reason);
    else rowsByTx.set(change.txId, (rowsByTx.get(change.txId) || []).concat([whoSpan]));
    item.append(el("div", "detail", OPS[change.op] + (change.after ? " after " + JSON.stringify(change.after) : "")));
  }
  item.append(el("div", "detail", "tx " + change.txId + " · lsn " + change.lsn + " · " + change.committedAt + " · " + change.position));
  $("changes").prepend(item);
}

function setFeed(design, status) {
  const node = $("feed-" + design);
  node.textContent = design + ": " + status;
  node.className = "status feed-" + status;
  node.dataset.status = status;
}

function showProblem(problem) {
  const item = el("li", "problem", problem.design + ": " + problem.code + ": " + problem.message);
  $("problems").prepend(item);
}

function reset() {
  for (const design of ["crud", "cdc", "es"]) { const box = $("state-" + design); box.replaceChildren(el("p", "view-empty", "loading…")); box.dataset.status = "loading"; }
  for (const list of ["journal", "changes", "problems"]) $(list).replaceChildren();
  intents.clear();
  rowsByTx.clear();
}

function watch(id) {
  if (!ID.test(id)) { $("cart-error").textContent = "a cart id is 1-64 letters, digits, _ or -"; return; }
  $("cart-error").textContent = "";
  if (source !== null) source.close();
  cartId = id;
  document.title = "cart " + id + " · cdc-es-lab";
  $("cart-title").textContent = id;
  history.replaceState(null, "", "?cart=" + encodeURIComponent(id));
  reset();
  setFeed("es", "connecting");
  setFeed("cdc", "connecting");
  source = new EventSource("/api/carts/" + encodeURIComponent(id) + "/live");
  // Every (re)connection replays the cart from the start: start from a clean page.
  source.addEventListener("open", reset);
  source.addEventListener("state", (message) => { const state = JSON.parse(message.data); renderView(state.design, state.view); });
  source.addEventListener("journal", (message) => addJournal(JSON.parse(message.data)));
  source.addEventListener("change", (message) => addChange(JSON.parse(message.data)));
  source.addEventListener("feed", (message) => { const feed = JSON.parse(message.data); setFeed(feed.design, feed.status); });
  source.addEventListener("problem", (message) => showProblem(JSON.parse(message.data)));
}

async function send(event) {
  event.preventDefault();
  const out = $("send-results");
  let commands;
  try { commands = JSON.parse($("send-body").value); } catch (error) { out.textContent = "not JSON: " + error.message; return; }
  const designs = $("send-design").value === "both" ? ["crud", "es"] : [$("send-design").value];
  const lines = [];
  for (const design of designs) {
    const response = await fetch("/api/designs/" + design + "/commands", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(commands) });
    lines.push(design + " " + response.status + " " + (await response.text()));
  }
  out.textContent = lines.join("\\n");
}

$("cart-form").addEventListener("submit", (event) => { event.preventDefault(); watch($("cart").value.trim()); });
$("send-form").addEventListener("submit", (event) => { void send(event); });
const initial = new URLSearchParams(location.search).get("cart") || "101";
$("cart").value = initial;
$("send-body").value = JSON.stringify([{ type: "AddItem", cartId: ID.test(initial) ? initial : "101", sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 }], null, 1);
watch(initial);
`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

export const LIVE_PAGE_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  // The empty icon below, so the browser asks for no /favicon.ico.
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const LIVE_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cdc-es-lab · live cart</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>cdc-es-lab · cart <span id="cart-title"></span></h1>
  <form id="cart-form"><label for="cart">cart id</label> <input id="cart" name="cart" size="16" autocomplete="off"> <button type="submit">Watch</button> <span id="cart-error" class="problem"></span></form>
  <span id="feed-es" class="status"></span> <span id="feed-cdc" class="status"></span>
</header>
<ol id="problems" class="events"></ol>
<main>
  <section class="design crud" id="column-crud">
    <h2>Design 1 · CRUD tables + Debezium CDC</h2>
    <h3>The tables now (crud)</h3>
    <div id="state-crud" data-design="crud"></div>
    <h3>Replayed from Kafka (cdc)</h3>
    <div id="state-cdc" data-design="cdc"></div>
    <h3>Change events as they arrive, latest on top</h3>
    <ol id="changes" class="events"></ol>
  </section>
  <section class="design es" id="column-es">
    <h2>Design 2 · Event-sourced journal</h2>
    <h3>Loaded from the journal (es)</h3>
    <div id="state-es" data-design="es"></div>
    <h3>Journal events, latest on top</h3>
    <ol id="journal" class="events"></ol>
  </section>
</main>
<section id="send">
  <h3>Send commands (a JSON array, as POST /api/designs/{design}/commands takes it)</h3>
  <form id="send-form">
    <select id="send-design"><option value="both">both designs</option><option value="crud">crud</option><option value="es">es</option></select>
    <button type="submit">Send</button>
  </form>
  <textarea id="send-body" spellcheck="false"></textarea>
  <div id="send-results"></div>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
