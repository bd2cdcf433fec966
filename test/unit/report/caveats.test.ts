import { describe, expect, it } from "vitest";
import { caveats } from "../../../scenarios/report/caveats.ts";
import { sampleResults } from "./report-fixture.ts";

describe("the caveats", () => {
  it("say a local run measured one broker, also when the results predate the broker count", () => {
    const results = sampleResults();
    expect(results.runtime).toBe("local");
    expect(caveats({ ...results, kafkaBrokers: undefined }).join("\n")).toContain("Kafka ran as a single broker (KRaft) with replication factor 1");
    expect(caveats({ ...results, kafkaBrokers: 1 }).join("\n")).toContain("single broker");
  });

  it("say a three-broker run was replicated, and that no scenario killed a broker", () => {
    const text = caveats({ ...sampleResults(), kafkaBrokers: 3 }).join("\n");
    expect(text).toContain("Kafka ran as 3 brokers (KRaft) with replication factor 3 and min.insync.replicas 2");
    expect(text).not.toContain("single broker");
  });
});
