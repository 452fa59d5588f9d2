import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps large request bodies from costing a page fault per 4 KiB.
 *
 * Node's HTTP parser copies every piece of a body into a fresh `malloc` block of up to 64 KiB, which
 * lives until V8 next collects garbage. Left alone, tens of MiB pile up before a collection frees
 * them together, at the top of glibc's heap, and glibc hands any free run above its trim threshold
 * (128 KiB by default) back to the kernel at once: the next body faults every page in again. On a
 * VM that backs guest memory lazily that is most of what a 1 MiB append costs (bench/README.md).
 *
 * Two measures, together (either alone gains little):
 * - a minor collection (a scavenge, typically under a millisecond) after every BODY_BYTES_PER_COLLECTION
 *   received, so the pieces already consumed are freed in small runs rather than tens of MiB;
 * - a trim threshold above those runs, through glibc's documented dynamic threshold: freeing a block
 *   that malloc had mapped raises the mmap threshold to its size and the trim threshold to twice
 *   that. Freeing one unused TRIM_PROBE_BYTES block at start keeps up to 8 MiB of freed heap.
 * A user's own MALLOC_TRIM_THRESHOLD_ turns glibc's dynamic threshold off and wins; elsewhere than
 * glibc the probe is one allocation freed.
 *
 * Both change the whole process (V8's --expose-gc flag, glibc's thresholds), so only a process the
 * emulator owns turns them on: the CLI (cli.ts), not an emulator embedded in someone's test run.
 */
const BODY_BYTES_PER_COLLECTION = 2 * 1024 * 1024;
const TRIM_PROBE_BYTES = 4 * 1024 * 1024 + 4096;

/** V8's gc(): a full collection, or with `{ type: 'minor' }` a scavenge of the young generation only. */
type Collect = (options?: { type: 'minor' }) => void;

let collectGarbage: Collect | null | undefined;

/** V8's gc(), taken from a fresh context so that no global `gc` appears in this one; null where V8 refuses. */
function collector(): Collect | null {
  if (collectGarbage === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
      collectGarbage = typeof gc === 'function' ? (gc as Collect) : null;
    } catch {
      collectGarbage = null;
    }
  }
  return collectGarbage;
}

let receivedSinceCollection = 0;
let managed = false;

/** Counts body bytes the caller has consumed (checksummed and copied on): see the module comment. */
export function bodyBytesConsumed(count: number): void {
  if (!managed) return;
  receivedSinceCollection += count;
  if (receivedSinceCollection < BODY_BYTES_PER_COLLECTION) return;
  receivedSinceCollection = 0;
  collector()?.({ type: 'minor' });
}

/** Turns both measures on for this process, once (see the module comment). */
export function manageBodyMemory(): void {
  const collect = collector();
  if (managed || !collect) return;
  managed = true;
  // Never touched, so never backed by memory: malloc maps it, the collection frees (unmaps) it.
  Buffer.allocUnsafeSlow(TRIM_PROBE_BYTES);
  collect({ type: 'minor' });
}
