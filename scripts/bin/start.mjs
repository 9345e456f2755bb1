#!/usr/bin/env node
// `pnpm start`: Electron when its binary is installed, else web mode. Runs the built JavaScript, rebuilt first when a source changed.
import { runEntry } from '../build/run.mjs';

await runEntry('start');
