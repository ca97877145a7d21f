#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
const { runOversight } = await import("../src/cli/main.ts");
const { processIo } = await import("../src/cli/io.ts");
process.exitCode = await runOversight(process.argv.slice(2), processIo());
