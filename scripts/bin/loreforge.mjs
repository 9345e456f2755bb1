#!/usr/bin/env node
// The `loreforge` command (CLI, and `relay …`). Runs the built JavaScript, rebuilt first when a source changed.
import { runEntry } from '../build/run.mjs';

await runEntry('loreforge');
