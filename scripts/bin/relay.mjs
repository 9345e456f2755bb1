#!/usr/bin/env node
// The sync relay process (`relay start …`, as apps/sync-server/src/main.ts). Runs the built JavaScript, rebuilt first when a source changed.
import { runEntry } from '../build/run.mjs';

await runEntry('relay');
