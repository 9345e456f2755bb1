#!/usr/bin/env node
// Web mode (`pnpm start:web`): the app's server on 127.0.0.1. Runs the built JavaScript, rebuilt first when a source changed.
import { runEntry } from '../build/run.mjs';

await runEntry('web');
