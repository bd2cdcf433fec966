import type pg from "pg";
import type { Logger } from "../../../services/platform/logger.ts";
import { byDesign } from "../../kit/drivers/subject-driver.ts";
import type { SubjectDriver } from "../../kit/drivers/subject-driver.ts";
import type { CheckoutPipeline } from "./checkout-pipeline.ts";
import { addCount, placeOfTable } from "./places.ts";
import type { PlaceCounts } from "./places.ts";
import { readTopicText } from "./read-topic-text.ts";

/** Where one subject keeps data: its database schemas and its Kafka topics, by kind. */
export interface SubjectPlaces {
  schemas: string[];
  topics: { topic: string; place: "change topics" | "checkout topic" }[];
}

export function placesOf(driver: SubjectDriver, pipeline: CheckoutPipeline): SubjectPlaces {
  const own = byDesign<SubjectPlaces>(driver, {
    es: (journal) => ({ schemas: [journal.names.journalSchema], topics: [] }),
    crud: (tables) => ({ schemas: [tables.names.crudSchema], topics: [] }),
    cdc: (tables) => ({ schemas: [tables.names.crudSchema], topics: tables.topics.all.map((topic) => ({ topic, place: "change topics" as const })) }),
  });
  return {
    schemas: [...own.schemas, pipeline.shippingSchema],
    topics: [...own.topics, { topic: pipeline.checkoutTopic, place: "checkout topic" }],
  };
}

/**
 * Counts, per place and per set of markers, the records in which any marker of the set is
 * readable as text: every row of every table of the subject's schemas (its JSON text, so jsonb
 * payloads and the journal's raw `data` column are searched as stored, never decrypted) and
 * every record Kafka still keeps on its topics (one read of them all for every set). Every
 * place scanned appears in each result, with 0 when it holds nothing.
 */
export async function scanPlaces<K extends string>(
  pool: pg.Pool,
  brokers: string[],
  logger: Logger,
  places: SubjectPlaces,
  markerSets: Record<K, readonly string[]>,
): Promise<Record<K, PlaceCounts>> {
  const sets = Object.entries(markerSets) as [K, readonly string[]][];
  const counts = Object.fromEntries(sets.map(([set]) => [set, new Map()])) as Record<K, PlaceCounts>;
  for (const schema of places.schemas) {
    const tables = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    for (const { table_name: table } of tables.rows) {
      for (const [set, markers] of sets) {
        const result = await pool.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "${schema}"."${table}" AS t
           WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS m(marker) WHERE strpos(row_to_json(t)::text, m.marker) > 0)`,
          [markers],
        );
        addCount(counts[set], placeOfTable(table), Number(result.rows[0]?.n ?? 0));
      }
    }
  }
  const placeOfTopic = new Map(places.topics.map(({ topic, place }) => [topic, place]));
  const records = await readTopicText(brokers, logger, [...placeOfTopic.keys()]);
  for (const { topic, place } of places.topics) {
    const onTopic = records.filter((record) => record.topic === topic);
    for (const [set, markers] of sets) addCount(counts[set], place, onTopic.filter((record) => markers.some((marker) => record.text.includes(marker))).length);
  }
  return counts;
}
