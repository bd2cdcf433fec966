import { LabError } from "../platform/errors.ts";
import type { JsonObject } from "./event-journal.ts";

/** Turns the `data` of one event type from `fromSchemaVersion` into the shape of the next version. */
export interface Upcaster {
  eventType: string;
  fromSchemaVersion: number;
  upcast(data: JsonObject): JsonObject;
}

export interface StoredShape {
  type: string;
  schemaVersion: number;
  data: JsonObject;
}

export interface UpcasterRegistry {
  /**
   * Applies upcasters one version at a time until none is registered for the event's type and
   * version, so a v1 event reaches v3 through v2 and each upcaster only knows its own step.
   * Returns new data; the stored row is never rewritten (the journal is append-only).
   */
  upcast(event: StoredShape): { schemaVersion: number; data: JsonObject };
}

export function createUpcasterRegistry(upcasters: readonly Upcaster[]): UpcasterRegistry {
  const steps = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const key = stepKey(upcaster.eventType, upcaster.fromSchemaVersion);
    // Two upcasters for one step would make the result depend on registration order.
    if (steps.has(key)) {
      throw new LabError("UsageInvalid", `two upcasters registered for ${upcaster.eventType} v${upcaster.fromSchemaVersion}`, {
        details: { eventType: upcaster.eventType, fromSchemaVersion: upcaster.fromSchemaVersion },
      });
    }
    steps.set(key, upcaster);
  }
  return {
    upcast(event) {
      let schemaVersion = event.schemaVersion;
      let data = event.data;
      for (let step = steps.get(stepKey(event.type, schemaVersion)); step !== undefined; step = steps.get(stepKey(event.type, schemaVersion))) {
        data = step.upcast(data);
        schemaVersion += 1;
      }
      return { schemaVersion, data };
    },
  };
}

export const noUpcasters: UpcasterRegistry = createUpcasterRegistry([]);

function stepKey(eventType: string, version: number): string {
  return `${eventType}@${version}`;
}
