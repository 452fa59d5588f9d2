#!/usr/bin/env node
// `npm run conformance:diff a.json b.json`: where two conformance runs disagree.
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
const { main } = await import('../dist/conformance/diff.js');
process.exitCode = main(process.argv.slice(2));
