import { LabError } from "../platform/errors.ts";

/**
 * The qualified, quoted names of one journal's tables. Every journal lives in a schema of its
 * own, so tests (and side-by-side runs) isolate themselves by choosing a schema name.
 */
export interface JournalSchema {
  name: string;
  events: string;
  snapshots: string;
  checkpoints: string;
  cartSummaries: string;
  /** One AES key per customer: deleting a row is how the journal forgets that customer. */
  customerKeys: string;
  /** The LISTEN/NOTIFY channel the append notifies in its transaction. */
  channel: string;
}

// Names are spliced into SQL (identifiers cannot be bind parameters), so only plain lowercase
// identifiers pass; the length leaves room for the longest derived name (trigger, channel).
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,39}$/;

export function journalSchema(name: string): JournalSchema {
  if (!schemaNamePattern.test(name)) {
    throw new LabError("UsageInvalid", `journal schema name ${JSON.stringify(name)} must match ${schemaNamePattern}`, {
      details: { schema: name },
    });
  }
  return {
    name,
    events: `"${name}"."events"`,
    snapshots: `"${name}"."snapshots"`,
    checkpoints: `"${name}"."projection_checkpoints"`,
    cartSummaries: `"${name}"."cart_summaries"`,
    customerKeys: `"${name}"."customer_keys"`,
    channel: `${name}_events`,
  };
}

// PostgreSQL truncates longer statement names (NAMEDATALEN), and two names cut to the same
// prefix would collide on one connection.
const MAX_STATEMENT_NAME_LENGTH = 63;

/**
 * The name of a prepared statement of this journal, so a statement sent again and again is
 * parsed and planned once per connection. Its text names the schema, so the name does too: a
 * pool shared by two journals holds one statement of each, never one name with two texts.
 */
export function statementName(schema: JournalSchema, operation: string): string {
  const name = `${schema.name}.${operation}`;
  if (name.length > MAX_STATEMENT_NAME_LENGTH) {
    throw new LabError("UsageInvalid", `prepared statement name ${name} is longer than ${MAX_STATEMENT_NAME_LENGTH} characters`, {
      details: { schema: schema.name, operation },
    });
  }
  return name;
}
