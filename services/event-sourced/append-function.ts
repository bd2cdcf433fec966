import type { JournalSchema } from "./journal-schema.ts";

/**
 * The SQLSTATE the append function raises when the stream is not at the expected version, with
 * the stream's actual version (digits only) as the error's DETAIL. Class `ES` is one PostgreSQL
 * never uses, so no error of its own can be mistaken for a conflict.
 *
 * Raised rather than returned as a status row: an error aborts the caller's transaction, so a
 * refused batch takes whatever the same transaction did before it (a customer's new key) down
 * with it, and the whole refusal is one kind of failure for the caller to map.
 */
export const STREAM_VERSION_CONFLICT_SQLSTATE = "ES409";

/** The function `migrateJournal` creates in each journal's schema. */
export function appendFunctionName(schema: JournalSchema): string {
  return `"${schema.name}".append_to_stream`;
}

/**
 * One call that is the whole append: per-stream serialization for "any", the version check, the
 * insert of every event, and the notification; it returns the recorded rows. As a single
 * statement it is its own transaction when the caller opened none, so a command's append costs
 * one round trip. `expected_version` NULL means "any"; "no_stream" arrives as 0.
 *
 * The insert lets the (stream_id, stream_version) unique index arbitrate between writers that
 * both passed the check: ON CONFLICT DO NOTHING waits for the other writer and, once it has
 * committed, skips the taken versions instead of failing. Fewer rows than events means a rival
 * won; by then a fresh read (read committed: each statement sees what committed before it) gives
 * the version it left behind, so even a lost race reports the exact actual version, and the
 * raise rolls back the rows this call did insert: all of the batch or none of it. (A caller in
 * repeatable read gets PostgreSQL's serialization failure instead; the journal never is in one.)
 *
 * Deliberately no EXCEPTION block to catch a unique violation: each one opens a subtransaction on
 * every call, extra work (and, with long transactions around, pg_subtrans lookups for every
 * reader) that ON CONFLICT makes unnecessary.
 */
export function appendFunctionDefinition(schema: JournalSchema): string {
  const conflict = `RAISE EXCEPTION USING
          ERRCODE = '${STREAM_VERSION_CONFLICT_SQLSTATE}',
          MESSAGE = format('stream %s is at version %s, expected %s', target_stream_id, current_version, coalesce(expected_version::text, 'any')),
          DETAIL = current_version::text`;
  return `
    CREATE OR REPLACE FUNCTION ${appendFunctionName(schema)}(
      target_stream_id text,
      expected_version int,
      new_event_ids uuid[],
      new_event_types text[],
      new_schema_versions int[],
      new_data jsonb[],
      new_metadata jsonb[]
    ) RETURNS SETOF ${schema.events}
    LANGUAGE plpgsql AS $append$
    DECLARE
      current_version int;
      recorded ${schema.events};
      recorded_count int := 0;
    BEGIN
      IF expected_version IS NULL THEN
        -- "any" must not fail on concurrency, so its writers queue per stream instead of racing;
        -- writers with an expected version stay lock-free and let the unique index arbitrate.
        PERFORM pg_advisory_xact_lock(hashtextextended('cdc-es-lab.stream:' || target_stream_id, 0));
      END IF;
      SELECT coalesce(max(e.stream_version), 0) INTO current_version
      FROM ${schema.events} AS e WHERE e.stream_id = target_stream_id;
      IF expected_version IS NOT NULL AND expected_version <> current_version THEN
        ${conflict};
      END IF;
      FOR recorded IN
        INSERT INTO ${schema.events} AS e (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
        SELECT target_stream_id, current_version + n.ordinal::int, n.event_id, n.event_type, n.schema_version, n.data, n.metadata
        FROM unnest(new_event_ids, new_event_types, new_schema_versions, new_data, new_metadata)
             WITH ORDINALITY AS n(event_id, event_type, schema_version, data, metadata, ordinal)
        ORDER BY n.ordinal
        ON CONFLICT ON CONSTRAINT events_stream_version_unique DO NOTHING
        RETURNING e.*
      LOOP
        recorded_count := recorded_count + 1;
        RETURN NEXT recorded;
      END LOOP;
      IF recorded_count < cardinality(new_event_ids) THEN
        -- The rows this call did insert are visible to it, and are about to be rolled back.
        SELECT coalesce(max(e.stream_version), 0) INTO current_version
        FROM ${schema.events} AS e WHERE e.stream_id = target_stream_id AND e.event_id <> ALL (new_event_ids);
        ${conflict};
      END IF;
      IF recorded_count > 0 THEN
        -- Transactional: a listener is woken only once the events can be read.
        PERFORM pg_notify('${schema.channel}', recorded.global_position::text);
      END IF;
      RETURN;
    END
    $append$`;
}
