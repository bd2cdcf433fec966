#!/usr/bin/env node
// The lab runs its TypeScript sources directly through tsx: no build step between a clone and `up`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../services/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
