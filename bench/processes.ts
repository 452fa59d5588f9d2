/**
 * Child processes the bench measures (the emulator CLI and the ceiling server): free ports,
 * spawning, readiness polling, memory sampling from /proc and shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/bench/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port nobody listens on right now (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  /** The last few KiB the child wrote to stdout/stderr, for error messages. */
  output(): string;
}

/** Every child spawned and not yet exited, so an aborted bench leaves nothing running. */
const live = new Set<ChildProcess>();

/** SIGKILLs every child still running (used when the bench aborts). */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * glibc malloc settings the servers inherit from the bench's own environment (none by default, as
 * with `npm start`), recorded with the results. A user's `MALLOC_TRIM_THRESHOLD_` replaces the
 * emulator's own setting (emulator/util/body-memory.ts).
 */
export function mallocEnvironment(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && /^(MALLOC_\w+|GLIBC_TUNABLES)$/.test(name)) found[name] = value;
  }
  return found;
}

/** Spawns `node <args>` with its output captured (and drained, so a chatty child never blocks). */
export function spawnNode(name: string, args: string[], port: number, nodeArgs: string[] = []): Child {
  let tail = '';
  const keep = (data: Buffer): void => {
    tail = (tail + data.toString('utf8')).slice(-4096);
  };
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name}: could not spawn node`);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return { name, process: child, pid: child.pid, port, origin: `http://127.0.0.1:${port}`, spawnedAt, output: () => tail };
}

/** One GET on a fresh connection: resolves with the status, rejects on a connection error. */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', reject);
  });
}

/**
 * Polls `path` every `intervalMs` until it answers 200; returns the milliseconds since the
 * child was spawned. Fails if the child exits or `timeoutMs` passes first.
 */
export async function waitReady(child: Child, path: string, timeoutMs = 15_000, intervalMs = 2): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) before it was ready:\n${child.output()}`);
    }
    try {
      if ((await probe(child.origin + path)) === 200) return performance.now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export async function stopChild(child: Child, graceMs = 5000): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Memory {
  /** Resident set now, bytes. */
  rss: number;
  /** Peak resident set since start (or since resetPeakRss), bytes. */
  hwm: number;
}

/** VmRSS and VmHWM from /proc/<pid>/status (Linux). */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]) * 1024;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`); false if not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `intervalMs` until stopped; `stop()` returns the largest sample. */
export function sampleRss(pid: number, intervalMs = 20): { stop(): number } {
  let peak = readMemory(pid).rss;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readMemory(pid).rss);
    } catch {
      // the process is gone; keep what we saw
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, readMemory(pid).rss);
      } catch {
        // gone
      }
      return peak;
    },
  };
}

/** The emulator's readiness probe. */
export const EMULATOR_HEALTH = '/_ossemu/health';

/**
 * The emulator CLI with on-disk storage in `dataDir`, silent, one bucket. `viaBin` runs
 * `node bin/ossemu.js` (which first recompiles if any source is newer than dist/); otherwise
 * dist/bench/emulator-main.js, the same CLI without that check.
 */
export function spawnEmulator(options: { port: number; dataDir: string; bucket: string; viaBin?: boolean; nodeArgs?: string[] }): Child {
  const entry = options.viaBin ? join(ROOT, 'bin', 'ossemu.js') : join(ROOT, 'dist', 'bench', 'emulator-main.js');
  const args = [entry, '--port', String(options.port), '--data-dir', options.dataDir, '--buckets', options.bucket, '--log-level', 'silent'];
  return spawnNode('emulator', args, options.port, options.nodeArgs);
}

/**
 * The do-nothing Koa server; it answers any GET, so `/` is its readiness probe. With `keepBodiesIn`
 * it writes every request body to that file: the ceiling of any server that keeps the bytes.
 */
export function spawnCeiling(options: { port: number; maxGetBytes: number; keepBodiesIn?: string }): Child {
  const args = [join(ROOT, 'dist', 'bench', 'ceiling-server.js'), '--port', String(options.port), '--max-get-bytes', String(options.maxGetBytes)];
  if (options.keepBodiesIn) args.push('--keep-bodies-in', options.keepBodiesIn);
  return spawnNode(options.keepBodiesIn ? 'storing ceiling' : 'ceiling', args, options.port);
}
