import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** A value as COPY's text format reads it: backslashes doubled (JSON already escapes its own tabs and newlines). */
export function copyField(value: string | number): string {
  return String(value).replace(/\\/g, "\\\\");
}

/** One row of COPY's text format: tab-separated fields, one line. */
export function copyLine(fields: readonly (string | number)[]): string {
  return `${fields.map(copyField).join("\t")}\n`;
}

/** One COPY ... FROM STDIN of `lines` into `table` (a quoted, qualified name): one statement, in its own transaction unless the client is in one. */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(lines), client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`)));
}
