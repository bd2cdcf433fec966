#!/usr/bin/env node
// The lab runs its TypeScript sources directly through tsx: no build step between a clone and `up`.
import { register } from "tsx/esm/api";

// `cdc-es-lab history ... | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

register();
const { main } = await import("../services/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
