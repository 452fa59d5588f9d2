#!/usr/bin/env node
// `npm start` / `npx ossemu`: compile if the sources changed, then run the CLI.
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
const { main } = await import('../dist/emulator/cli.js');
await main(process.argv.slice(2), process.env);
