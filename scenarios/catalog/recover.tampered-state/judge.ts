import { figure, restoredVerdict } from "../../kit/figures.ts";
import type { SubjectOutcome, Verdict } from "../../model/observations.ts";
import { OBS } from "./observations.ts";

/** Full only when every tampered cart came back exactly and no other cart was damaged on the way. */
export function judgeTamperedState(outcome: SubjectOutcome): Verdict {
  const verdict = restoredVerdict(outcome, OBS.cartsRestoredExactly, OBS.cartsTampered);
  if (verdict.symbol === "full" && figure(outcome, OBS.otherCartsIntact) === false) {
    return { symbol: "partial", figure: `${verdict.figure}, other carts damaged` };
  }
  return verdict;
}
