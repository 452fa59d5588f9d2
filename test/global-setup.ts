import { buildIfNeeded } from '../bin/build-if-needed.js';

/** Tests that start the emulator as a separate process run the compiled CLI: build it once, first. */
export default function setup(): void {
  buildIfNeeded();
}
