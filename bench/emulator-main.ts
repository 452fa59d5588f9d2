/**
 * The emulator CLI exactly as `bin/ossemu.js` runs it, minus its build-if-needed step: the bench
 * builds once before it starts, and must not recompile dist/ under itself if someone edits a
 * source file while it runs. (The start-up scenario does use bin/ossemu.js, build check included.)
 */
import { main } from '../emulator/cli.js';

await main(process.argv.slice(2), process.env);
