import { restoredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/** So many of the affected carts restored exactly, from the design's own history. */
export function judgeBeyondRetention(outcome: SubjectOutcome): Verdict {
  return restoredVerdict(outcome, OBS.cartsRestoredExactly, OBS.cartsAffected);
}
