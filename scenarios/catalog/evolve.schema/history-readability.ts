import { fold, toCartView } from "../../../services/cart/index.ts";
import type { CartView } from "../../../services/cart/index.ts";
import { buildCdcHistory, cdcStateAsOf } from "../../../services/crud-cdc/cdc-history.ts";
import type { ChangeEvent } from "../../../services/crud-cdc/change-event.ts";
import { decodeCartLineAs } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { createCartEventCodec } from "../../../services/event-sourced/cart-event-codec.ts";
import type { CartEventCodec } from "../../../services/event-sourced/cart-event-codec.ts";
import { cartStreamId } from "../../../services/event-sourced/cart-stream.ts";
import type { EventJournal } from "../../../services/event-sourced/event-journal.ts";
import { createPostgresEventJournal } from "../../../services/event-sourced/postgres-event-journal.ts";
import { isLabError } from "../../../services/platform/errors.ts";
import { sameView } from "../../kit/cart-record.ts";
import type { CdcDriver, EsDriver } from "../../kit/drivers/subject-driver.ts";
import { readWholeJournal } from "../../kit/subject-journal.ts";
import type { StepContext } from "../../model/scenario.ts";
import type { SubjectId } from "../../model/subjects.ts";
import type { EvolveRun } from "./evolve-run.ts";
import { OBS } from "./observations.ts";
import { SHAPE_READERS, exactPercentByPhase, isStateChange, journalReaders, readChangeEvent, readabilityOf, readablePercent, topicReaders } from "./shape-readers.ts";
import type { Probe, Readability, ShapeReader } from "./shape-readers.ts";

/** One reader's answer to each probe: exact when it read the cart and it equals the record. */
type ProbeAnswers = { probe: Probe; exact: boolean }[];

/** The journal read by each reader: every event decoded, and every probe asked through state at a time. */
export async function readJournalHistory(context: StepContext<EvolveRun>, es: EsDriver): Promise<void> {
  const readability = new Map<ShapeReader, Readability>();
  const answers = new Map<ShapeReader, ProbeAnswers>();
  let storedVersions: Map<string, number> | null = null;
  for (const reader of SHAPE_READERS) {
    const spec = journalReaders[reader];
    const journal = createPostgresEventJournal({ pool: es.pool, schema: es.names.journalSchema, upcasters: spec.upcasters(), personalData: es.spec.journal.personalData });
    const codec = createCartEventCodec(spec.release);
    const events = await readWholeJournal(journal);
    readability.set(reader, readabilityOf(events, (event) => codec.decode(event)));
    // The stored rows are the same whoever reads them; upcasting never changes storedSchemaVersion.
    storedVersions ??= countBy(events.map((event) => `${event.type} v${event.storedSchemaVersion}`));
    const answered: ProbeAnswers = [];
    for (const probe of context.state.probes) {
      const view = await decodedOrNull(() => journalStateAt(journal, codec, probe.cartId, probe.at));
      answered.push({ probe, exact: view.ok && sameView(view.value, probe.expected) });
    }
    answers.set(reader, answered);
  }
  observeReaders(context, es.spec.id, readability, answers);
  context.evidence(es.spec.id, {
    id: `${es.spec.id}-stored-versions`,
    title: "Events in the journal by stored type and schema version (never rewritten)",
    columns: ["event", "count"],
    rows: [...(storedVersions ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)),
  });
}

/** The topics read by each reader: every change event of the state tables, and every probe replayed from them. */
export async function readTopicHistory(context: StepContext<EvolveRun>, cdc: CdcDriver, events: readonly ChangeEvent[]): Promise<void> {
  const changes = events.filter(isStateChange);
  const history = buildCdcHistory(events);
  const readability = new Map<ShapeReader, Readability>();
  const answers = new Map<ShapeReader, ProbeAnswers>();
  for (const reader of SHAPE_READERS) {
    const layout = topicReaders[reader];
    readability.set(reader, readabilityOf(changes, (event) => readChangeEvent(event, layout)));
    const answered: ProbeAnswers = [];
    for (const probe of context.state.probes) {
      const view = await decodedOrNull(async () => cdcStateAsOf(history.get(probe.cartId) ?? [], { at: probe.at }, (raw) => decodeCartLineAs(layout, raw)));
      answered.push({ probe, exact: view.ok && sameView(view.value, probe.expected) });
    }
    answers.set(reader, answered);
  }
  observeReaders(context, cdc.spec.id, readability, answers);
  const { backfillWindow, ddlWindows } = context.state;
  const committedIn = (window: { from: number; to: number }) => changes.filter((event) => event.source.committedAt > window.from && event.source.committedAt < window.to).length;
  context.observe(cdc.spec.id, OBS.backfillChangeEvents, backfillWindow === null ? null : committedIn(backfillWindow));
  context.observe(cdc.spec.id, OBS.migrationDdlChangeEvents, ddlWindows.reduce((sum, window) => sum + committedIn(window), 0));
  const layouts = countBy(
    changes
      .filter((event) => event.source.table === "cart_items" && event.after !== null)
      .map((event) => ["unit_price_cents", "unit_price"].filter((column) => event.after?.[column] !== undefined && event.after[column] !== null).join("+") || "no price"),
  );
  context.evidence(cdc.spec.id, {
    id: `${cdc.spec.id}-row-layouts`,
    title: "cart_items after-images on the topics by the price columns they carry",
    columns: ["columns", "change events"],
    rows: [...layouts].sort(([a], [b]) => (a < b ? -1 : 1)),
  });
}

function observeReaders(context: StepContext<EvolveRun>, id: SubjectId, readability: Map<ShapeReader, Readability>, answers: Map<ShapeReader, ProbeAnswers>): void {
  const read = (reader: ShapeReader): Readability => readability.get(reader) ?? { entries: 0, readable: 0, firstError: null };
  const phases = (reader: ShapeReader) => exactPercentByPhase(answers.get(reader) ?? []);
  const current = read("current");
  context.observe(id, OBS.historyEntries, current.entries);
  context.observe(id, OBS.readableByCurrentPercent, readablePercent(current));
  context.observe(id, OBS.readableByOldShapePercent, readablePercent(read("oldShape")));
  context.observe(id, OBS.readableByNewShapeOnlyPercent, readablePercent(read("newShapeOnly")));
  context.observe(id, OBS.oldShapeDecodeErrors, read("oldShape").entries - read("oldShape").readable);
  context.observe(id, OBS.newShapeOnlyDecodeErrors, read("newShapeOnly").entries - read("newShapeOnly").readable);
  const probes = context.state.probes;
  context.observe(id, OBS.probesBefore, probes.filter((probe) => probe.phase === "before").length);
  context.observe(id, OBS.probesAcross, probes.filter((probe) => probe.phase === "across").length);
  context.observe(id, OBS.probesAfter, probes.filter((probe) => probe.phase === "after").length);
  const byCurrent = phases("current");
  context.observe(id, OBS.probesExactBeforePercent, byCurrent.before);
  context.observe(id, OBS.probesExactAcrossPercent, byCurrent.across);
  context.observe(id, OBS.probesExactAfterPercent, byCurrent.after);
  const byOld = phases("oldShape");
  context.observe(id, OBS.oldShapeProbesExactBeforePercent, byOld.before);
  context.observe(id, OBS.oldShapeProbesExactAcrossPercent, byOld.across);
  context.observe(id, OBS.oldShapeProbesExactAfterPercent, byOld.after);
  const byNew = phases("newShapeOnly");
  context.observe(id, OBS.newShapeOnlyProbesExactBeforePercent, byNew.before);
  context.observe(id, OBS.newShapeOnlyProbesExactAcrossPercent, byNew.across);
  context.observe(id, OBS.newShapeOnlyProbesExactAfterPercent, byNew.after);
  context.evidence(id, {
    id: `${id}-readers`,
    title: "The history read by each reader: entries decoded, probes answered exactly by phase, first error",
    columns: ["reader", "entries", "readable", "probes exact before %", "across %", "after %", "first decode error"],
    rows: SHAPE_READERS.map((reader) => {
      const exact = phases(reader);
      return [reader, read(reader).entries, read(reader).readable, exact.before, exact.across, exact.after, read(reader).firstError];
    }),
  });
}

/** The cart at a time as one release's reader folds it: the events recorded by then, decoded by its codec. */
export async function journalStateAt(journal: EventJournal, codec: CartEventCodec, cartId: string, at: number): Promise<CartView | null> {
  const events = await journal.readStream(cartStreamId(cartId), { toRecordedAt: new Date(at).toISOString() });
  return toCartView(fold(events.map((event) => codec.decode(event))));
}

/** A read whose decode failure is the answer (the reader cannot say), any other failure not. */
async function decodedOrNull<T>(read: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isLabError(error) && error.code === "DecodeFailed") return { ok: false };
    throw error;
  }
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
