import type { LabResults } from "./results-file.ts";

/**
 * Two runs of one seed must agree on every figure the seed fixes: everything but the
 * observations marked as varying with timing or size (`Observation.varies`). What this returns
 * is each disagreement, named `scenario/subject/observation: a ≠ b`; empty when the runs agree.
 */
export function seedDifferences(a: LabResults, b: LabResults): string[] {
  const fixed = (results: LabResults) => {
    const figures = new Map<string, string>();
    for (const scenario of results.scenarios) {
      for (const outcome of scenario.outcomes) {
        figures.set(`${scenario.id}/${outcome.subject}/(status)`, outcome.status);
        for (const [name, observation] of Object.entries(outcome.observations)) {
          if (observation.varies === undefined) figures.set(`${scenario.id}/${outcome.subject}/${name}`, JSON.stringify(observation.value));
        }
      }
    }
    return figures;
  };
  const left = fixed(a);
  const right = fixed(b);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  return keys.filter((key) => left.get(key) !== right.get(key)).map((key) => `${key}: ${left.get(key) ?? "(absent)"} ≠ ${right.get(key) ?? "(absent)"}`);
}
