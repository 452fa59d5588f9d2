/**
 * The load generator: one keep-alive HTTP client per server under test, and loops that are
 * bounded both by a count and by a time limit, recording per-request latency.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { bodyBytesConsumed } from '../emulator/util/body-memory.js';

export interface HttpRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sees every piece of the response body (to checksum it); otherwise it is only counted. */
  onBody?: (piece: Buffer) => void;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Bytes of response body received (the body itself is discarded). */
  bytes: number;
  /** The body as text when it is small (error documents), for diagnostics. */
  text: string;
  /** Wall time from sending to the end of the response body, ms. */
  ms: number;
}

/** A keep-alive client for one origin; `connections` sockets at most. */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly origin: string,
    connections: number,
    private readonly timeoutMs = 120_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'lifo' });
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const headers = req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
      const outgoing = request(this.origin + req.path, { method: req.method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        let bytes = 0;
        const small: Buffer[] = [];
        res.on('data', (piece: Buffer) => {
          bodyBytesConsumed(piece.length);
          if (bytes < 4096) small.push(piece);
          bytes += piece.length;
          req.onBody?.(piece);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes,
            text: Buffer.concat(small).subarray(0, 4096).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${req.method} ${req.path}: no answer in ${this.timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Limits every loop obeys: whichever comes first. */
export interface Limits {
  maxOps: number;
  maxMs: number;
}

export interface LoopResult {
  ops: number;
  elapsedMs: number;
  /** One entry per completed operation, ms, unsorted. */
  latencies: number[];
  /** True if the time limit, not the count, ended the loop. */
  timedOut: boolean;
}

/**
 * Runs `workers` loops at once, each calling `op(worker, i)` back to back, until `maxOps`
 * operations have been started in total or `maxMs` has passed. `op` returns its latency in ms.
 */
export async function runLoop(workers: number, limits: Limits, op: (worker: number, i: number) => Promise<number>): Promise<LoopResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + limits.maxMs;
  let issued = 0;
  let timedOut = false;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; ; i++) {
      if (issued >= limits.maxOps) return;
      if (performance.now() >= deadline) {
        timedOut = true;
        return;
      }
      issued++;
      latencies.push(await op(w, i));
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return { ops: latencies.length, elapsedMs: performance.now() - started, latencies, timedOut };
}

/** Operations per second of a loop. */
export const opsPerSecond = (r: LoopResult): number => (r.ops * 1000) / r.elapsedMs;

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: number[]): number => percentile(values, 50);

/** Several slices of one loop as one result. */
export function mergeLoops(slices: LoopResult[]): LoopResult {
  return {
    ops: slices.reduce((sum, s) => sum + s.ops, 0),
    elapsedMs: slices.reduce((sum, s) => sum + s.elapsedMs, 0),
    latencies: slices.flatMap((s) => s.latencies),
    timedOut: slices.some((s) => s.timedOut),
  };
}
