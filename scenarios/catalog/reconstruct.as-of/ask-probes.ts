import type { CartView } from "../../../services/cart/index.ts";
import { sameView } from "../../kit/cart-record.ts";
import type { Evidence } from "../../model/observations.ts";
import type { OpenedSubject, StepContext } from "../../model/scenario.ts";
import { OBS } from "./observations.ts";
import type { Probe } from "./workload-record.ts";

const MISMATCH_EVIDENCE_ROWS = 6;

/** How a subject answers one probe: the cart as of the probe's time or version. */
export type Answer = (probe: Probe) => Promise<CartView | null>;

/** Asks every probe, compares each answer with the record, and records the figures (and the first mismatches as evidence). */
export async function askProbes<S>(context: StepContext<S>, subject: OpenedSubject, probes: readonly Probe[], answer: Answer, startedAt: number): Promise<void> {
  const id = subject.spec.id;
  const mismatches: Evidence["rows"] = [];
  let matched = 0;
  let timeMatched = 0;
  let versionMatched = 0;
  for (const probe of probes) {
    const answered = await answer(probe);
    if (sameView(answered, probe.expected)) {
      matched += 1;
      if ("at" in probe.asOf) timeMatched += 1;
      else versionMatched += 1;
    } else if (mismatches.length < MISMATCH_EVIDENCE_ROWS) {
      const asked = "at" in probe.asOf ? new Date(probe.asOf.at).toISOString() : `version ${probe.asOf.version}`;
      mismatches.push([asked, probe.cartId, describeView(probe.expected), describeView(answered)]);
    }
  }
  const elapsed = performance.now() - startedAt;
  const timeTotal = probes.filter((probe) => "at" in probe.asOf).length;
  context.observe(id, OBS.probesTotal, probes.length);
  context.observe(id, OBS.probesMatched, matched);
  context.observe(id, OBS.probesLost, probes.length - matched);
  // Unrounded: exactly 100 only when every probe matched, and above 0 as soon as one did.
  context.observe(id, OBS.matchPercent, probes.length === 0 ? 0 : (100 * matched) / probes.length);
  context.observe(id, OBS.timeProbesTotal, timeTotal);
  context.observe(id, OBS.timeProbesMatched, timeMatched);
  context.observe(id, OBS.versionProbesTotal, probes.length - timeTotal);
  context.observe(id, OBS.versionProbesMatched, versionMatched);
  context.observe(id, OBS.msPerProbe, probes.length === 0 ? 0 : Number((elapsed / probes.length).toFixed(3)));
  if (mismatches.length > 0) {
    context.evidence(id, {
      id: "probes-lost",
      title: `First probes ${subject.spec.label} answered differently from the record`,
      columns: ["asked as of", "cartId", "the record says", "the design answered"],
      rows: mismatches,
    });
  }
}

function describeView(view: CartView | null): string {
  if (view === null) return "absent";
  const quantity = view.items.reduce((sum, line) => sum + line.quantity, 0);
  return `${view.status}, ${view.items.length} lines (${quantity} items), ${view.discounts.length} discounts, total ${view.totalCents}¢`;
}
