import pg from "pg";
import { LabError } from "../../services/platform/errors.ts";
import type { StatementProfile } from "./benchmark.ts";

/**
 * What an operation sends PostgreSQL, counted and timed rather than typed: every `query` call of
 * every node-postgres client in this process (pools, knex and COPY streams all go through
 * `pg.Client.prototype.query`) is one round trip, holds as many statements as its text does (a
 * simple query may carry several, separated by semicolons), and waits from the call until its
 * result arrives.
 */
export interface QueryCount {
  roundTrips: number;
  statements: number;
  /** Per statement text: calls and milliseconds waited, summed. */
  byStatement: Map<string, { calls: number; ms: number }>;
}

let counting: QueryCount | null = null;

type QueryFunction = (...args: unknown[]) => unknown;

/** Runs `work` with every query counted and timed; the count covers only the calls made while it runs. */
export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; count: QueryCount }> {
  if (counting !== null) throw new LabError("ComponentFailed", "queries are already being counted: one count at a time");
  const count: QueryCount = { roundTrips: 0, statements: 0, byStatement: new Map() };
  const prototype = pg.Client.prototype as unknown as { query: QueryFunction };
  const original = prototype.query;
  counting = count;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    const text = textOf(args[0]);
    count.roundTrips += 1;
    count.statements += text === null ? 1 : statementsIn(text);
    const key = text === null ? "(a query without text)" : statementKey(text);
    const tally = count.byStatement.get(key) ?? { calls: 0, ms: 0 };
    count.byStatement.set(key, tally);
    tally.calls += 1;
    const startedAt = performance.now();
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      tally.ms += performance.now() - startedAt;
    };
    const last = args[args.length - 1];
    // knex passes a callback; pools and direct calls get a promise; a COPY stream is its own result.
    if (typeof last === "function") {
      args[args.length - 1] = function timedCallback(this: unknown, ...results: unknown[]) {
        done();
        return (last as QueryFunction).apply(this, results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (isThenable(result)) result.then(done, done);
    else if (isStream(args[0])) for (const event of ["finish", "end", "error"]) args[0].once(event, done);
    return result;
  };
  try {
    return { result: await work(), count };
  } finally {
    prototype.query = original;
    counting = null;
  }
}

/** The statements of one operation, heaviest first: a few texts by name, the rest summed as one line. */
export function statementProfile(count: QueryCount, operations: number, shown = 6): StatementProfile[] {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const entries = [...count.byStatement.entries()].map(([statement, tally]) => ({ statement, callsPerOperation: tally.calls / operations, msPerOperation: tally.ms / operations }));
  entries.sort((a, b) => b.msPerOperation - a.msPerOperation);
  const head = entries.slice(0, shown);
  const rest = entries.slice(shown);
  if (rest.length > 0) {
    head.push({
      statement: `(${rest.length} other statement texts)`,
      callsPerOperation: rest.reduce((sum, entry) => sum + entry.callsPerOperation, 0),
      msPerOperation: rest.reduce((sum, entry) => sum + entry.msPerOperation, 0),
    });
  }
  return head.map((entry) => ({ statement: entry.statement, callsPerOperation: round(entry.callsPerOperation), msPerOperation: round(entry.msPerOperation) }));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function isStream(value: unknown): value is { once(event: string, listener: () => void): void } {
  return typeof value === "object" && value !== null && typeof (value as { submit?: unknown }).submit === "function" && typeof (value as { once?: unknown }).once === "function";
}

/** The text of a query call: a string, a query config (`{ text }`) or a submittable (COPY) with a `text`. */
function textOf(query: unknown): string | null {
  if (typeof query === "string") return query;
  if (typeof query === "object" && query !== null && typeof (query as { text?: unknown }).text === "string") return (query as { text: string }).text;
  return null;
}

const STATEMENT_KEY_LENGTH = 120;

/** Statements grouped across schemas and layouts: whitespace collapsed, `"schema".` qualifiers dropped. */
function statementKey(text: string): string {
  const key = text.replace(/\s+/g, " ").replace(/"[^"]*"\./g, "").trim();
  return key.length > STATEMENT_KEY_LENGTH ? `${key.slice(0, STATEMENT_KEY_LENGTH - 1)}…` : key;
}

// The same few texts come back thousands of times: each is scanned once.
const statementsByText = new Map<string, number>();
const MAX_REMEMBERED_TEXTS = 1_000;

function statementsIn(text: string): number {
  let statements = statementsByText.get(text);
  if (statements === undefined) {
    statements = Math.max(1, countStatements(text));
    if (statementsByText.size < MAX_REMEMBERED_TEXTS) statementsByText.set(text, statements);
  }
  return statements;
}

const DOLLAR_TAG = /\$[A-Za-z_]*\$/y;

/**
 * Statements in an SQL text: the non-empty pieces between semicolons that are not inside a
 * quoted string or identifier, a dollar-quoted body (a function's) or a comment.
 */
export function countStatements(sql: string): number {
  let statements = 0;
  let pending = false;
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    DOLLAR_TAG.lastIndex = index;
    const tag = char === "$" ? DOLLAR_TAG.exec(sql)?.[0] : undefined;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, index + 1);
      index = end < 0 ? sql.length : end + 1;
      pending = true;
    } else if (sql.startsWith("--", index)) {
      const end = sql.indexOf("\n", index);
      index = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith("/*", index)) {
      const end = sql.indexOf("*/", index + 2);
      index = end < 0 ? sql.length : end + 2;
    } else if (tag !== undefined) {
      const end = sql.indexOf(tag, index + tag.length);
      index = end < 0 ? sql.length : end + tag.length;
      pending = true;
    } else if (char === ";") {
      if (pending) statements += 1;
      pending = false;
      index += 1;
    } else {
      if (char.trim() !== "") pending = true;
      index += 1;
    }
  }
  return statements + (pending ? 1 : 0);
}
