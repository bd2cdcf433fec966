import type { ObservationName, ObservationValue, SubjectOutcome } from "../../scenarios/model/observations.ts";
import type { SubjectId } from "../../scenarios/model/subjects.ts";

/**
 * What a judge test hands its judge: one subject's outcome with the figures given, recorded
 * under the scenario's declared names and units (an absent or undefined figure records null).
 * A failed outcome carries `failure` as its problem when one is given.
 */
export function outcomeBuilder<O extends Record<string, ObservationName>>(names: O, options: { subject?: SubjectId; failure?: string } = {}) {
  return (observations: Partial<Record<keyof O & string, ObservationValue>>, status: SubjectOutcome["status"] = "measured"): SubjectOutcome => ({
    subject: options.subject ?? "es",
    status,
    observations: Object.fromEntries(
      Object.entries(observations).map(([key, value]) => {
        const name = names[key] as ObservationName;
        return [name.name, { value: value ?? null, unit: name.unit }];
      }),
    ),
    evidence: [],
    problem: status === "failed" && options.failure !== undefined ? { message: options.failure, logTail: null } : null,
    durationMs: 1,
  });
}
