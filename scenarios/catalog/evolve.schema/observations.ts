import { observationNames } from "../../model/observations.ts";

/**
 * What evolve.schema measures per subject; docs/scenarios/evolve.schema.md says what each means.
 * Three readers of the history: the current code (every shape, through upcasters or a row-image
 * reader that knows every column layout), a consumer built for the old shape only, and one
 * built for the new shape only (for the journal: the new release without the upcaster).
 */
export const OBS = observationNames({
  historyEntries: ["count", "number"],
  readableByCurrentPercent: ["percent", "number"],
  readableByOldShapePercent: ["percent", "number"],
  readableByNewShapeOnlyPercent: ["percent", "number"],
  oldShapeDecodeErrors: ["count", "number"],
  newShapeOnlyDecodeErrors: ["count", "number"],
  probesBefore: ["count", "number"],
  probesAcross: ["count", "number"],
  probesAfter: ["count", "number"],
  probesExactBeforePercent: ["percent", "number"],
  probesExactAcrossPercent: ["percent", "number"],
  probesExactAfterPercent: ["percent", "number"],
  oldShapeProbesExactBeforePercent: ["percent", "number"],
  oldShapeProbesExactAcrossPercent: ["percent", "number"],
  oldShapeProbesExactAfterPercent: ["percent", "number"],
  newShapeOnlyProbesExactBeforePercent: ["percent", "number"],
  newShapeOnlyProbesExactAcrossPercent: ["percent", "number"],
  newShapeOnlyProbesExactAfterPercent: ["percent", "number"],
  writesFailed: ["count", "number"],
  cartsMatchingRecordPercent: ["percent", "number"],
  backfillRows: ["count", "number"],
  backfillChangeEvents: ["count", "number"],
  migrationDdlChangeEvents: ["count", "number"],
  naiveOldReleaseWrites: ["count", "number"],
  naiveOldReleaseWritesFailed: ["count", "number"],
  naiveNewReleaseWritesFailed: ["count", "number"],
  naiveCartsWrong: ["count", "number"],
  laggedConnectorChangeEvents: ["count", "number"],
  laggedConnectorReadableByCurrentPercent: ["percent", "number"],
  laggedConnectorImagesWrong: ["count", "number"],
  laggedConnectorSilentlyWrongPrices: ["count", "number"],
});
