#!/usr/bin/env node
// `npm run conformance` / `npx ossemu-conformance`: compile if the sources changed, then run the suite.
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
const { main } = await import('../dist/conformance/cli.js');
process.exitCode = await main(process.argv.slice(2), process.env);
