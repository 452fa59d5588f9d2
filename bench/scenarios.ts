/**
 * The scenarios, as a table. Each measures the emulator and the ceiling the same way and
 * returns metrics; run.ts prints them with their ratio and target.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, mergeLoops, opsPerSecond, percentile, runLoop, type Limits, type LoopResult } from './load.js';
import { EMULATOR_HEALTH, freePort, readMemory, resetPeakRss, sampleRss, spawnCeiling, spawnEmulator, stopChild, waitReady } from './processes.js';
import type { Session, Target, TargetName } from './target.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** Throughputs and memory are reported in MB = 10^6 bytes. */
export const MB = 1e6;

/** How a figure is judged. `ratio>=`: emulator ÷ ceiling; `<=` and `<`: the emulator's own figure. */
export type Goal = { kind: 'ratio>='; value: number } | { kind: '<='; value: number } | { kind: '<'; value: number };

export interface Metric {
  id: string;
  label: string;
  unit: string;
  emulator: number;
  ceiling?: number;
  goal?: Goal;
  note?: string;
}

export interface BenchContext {
  emulator: Target;
  ceiling: Target;
  bucket: string;
  /** Scratch folder (removed by run.ts) for the start-up scenario's data dirs. */
  workDir: string;
  log(line: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Metric[]>;
}

// Request bodies, allocated once; random so nothing downstream could compress them.
const BODY_1K = randomBytes(KiB);
const BODY_1M = randomBytes(MiB);
const BODY_8M = randomBytes(8 * MiB);

/** Runs `measure` on the emulator, then on the ceiling. */
async function both<T>(ctx: BenchContext, measure: (target: Target) => Promise<T>): Promise<Record<TargetName, T>> {
  const emulator = await measure(ctx.emulator);
  const ceiling = await measure(ctx.ceiling);
  return { emulator, ceiling };
}

/** A loop to run against both servers: per-server setup (objects, warm-up), then one operation. */
interface LoopBench<S> {
  connections: number;
  setup(session: Session): Promise<S>;
  /** One operation by `worker`; returns its latency in ms. */
  op(session: Session, state: S, worker: number): Promise<number>;
}

/**
 * Slices per server: emulator, ceiling, emulator, … so background load on the machine hits both
 * alike. This VM has slow phases lasting seconds; short slices spread them over both servers.
 */
const ROUNDS = 6;

/**
 * Per server and scenario, before the timed slices: windows of the same loop until the rate stops
 * rising. A fixed 1.5 s was too short for the emulator, which has far more code for V8 to optimise:
 * in its first timed slices it still ran at 50–85% of its later rate (2,710, 4,542, 5,377, 5,283/s
 * in one run), while the ceiling's slices were flat from the first. Flat windows alone are not
 * enough either: in slow minutes a fresh emulator's sequential appends sat at ~1,800/s for 3 s
 * before rising to 4,000–4,800/s, 10,000–14,000 appends after it started. Hence a floor in
 * operations too.
 */
const WARM_UP = {
  windowMs: 500,
  /** At least this many windows (the 1.5 s warm-up this replaced) and operations. */
  minWindows: 3,
  minOps: 20_000,
  /** Warm once this many windows in a row fail to beat the best rate so far by more than `gain`. */
  flatWindows: 2,
  gain: 0.03,
  /** Never longer than this, nor more operations than `maxOps`. */
  maxMs: 20_000,
  maxOps: 200_000,
};

/** Runs `op` in warm-up windows until its rate stops rising (see WARM_UP); returns how long that took and the windows' rates. */
async function warmUp(connections: number, op: (worker: number) => Promise<number>): Promise<{ ms: number; rates: number[] }> {
  const started = performance.now();
  const rates: number[] = [];
  let best = 0;
  let flat = 0;
  let ops = 0;
  while (performance.now() - started < WARM_UP.maxMs && ops < WARM_UP.maxOps) {
    const window = await runLoop(connections, { maxOps: WARM_UP.maxOps - ops, maxMs: WARM_UP.windowMs }, op);
    ops += window.ops;
    const rate = opsPerSecond(window);
    rates.push(Math.round(rate));
    flat = rate > best * (1 + WARM_UP.gain) ? 0 : flat + 1;
    best = Math.max(best, rate);
    if (rates.length >= WARM_UP.minWindows && ops >= WARM_UP.minOps && flat >= WARM_UP.flatWindows) break;
  }
  return { ms: performance.now() - started, rates };
}

/** Runs `bench` on both servers, alternating slices of `limits / ROUNDS`. */
async function alternate<S>(ctx: BenchContext, bench: LoopBench<S>, limits: Limits): Promise<Record<TargetName, LoopResult>> {
  const targets = [ctx.emulator, ctx.ceiling];
  const sessions = targets.map((t) => t.connect(bench.connections));
  try {
    const states: S[] = [];
    for (const session of sessions) states.push(await bench.setup(session));
    // Untimed warm-up through the same loop: the figures are then the servers' steady state,
    // not how fast V8 gets around to optimising each one's code.
    for (let i = 0; i < targets.length; i++) {
      const warm = await warmUp(bench.connections, (worker) => bench.op(sessions[i]!, states[i]!, worker));
      ctx.log(`  ${targets[i]!.name} warmed up in ${(warm.ms / 1000).toFixed(1)} s (${warm.rates.join(', ')}/s)`);
    }
    const slices: LoopResult[][] = targets.map(() => []);
    const slice: Limits = { maxOps: Math.ceil(limits.maxOps / ROUNDS), maxMs: limits.maxMs / ROUNDS };
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < targets.length; i++) {
        slices[i]!.push(await runLoop(bench.connections, slice, (worker) => bench.op(sessions[i]!, states[i]!, worker)));
      }
    }
    const rates = (loops: LoopResult[]): string => loops.map((loop) => Math.round(opsPerSecond(loop))).join(', ');
    ctx.log(`  timed slices: emulator ${rates(slices[0]!)}/s; ceiling ${rates(slices[1]!)}/s`);
    return { emulator: mergeLoops(slices[0]!), ceiling: mergeLoops(slices[1]!) };
  } finally {
    for (const session of sessions) session.close();
  }
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

// ---- sequential 1 KiB appends ------------------------------------------------------------------

const SEQ_LIMITS: Limits = { maxOps: 50_000, maxMs: 6_000 };

const sequentialAppends: Scenario = {
  id: 'seq-append',
  title: 'sequential 1 KiB appends, one connection',
  async run(ctx) {
    const r = await alternate(
      ctx,
      {
        connections: 1,
        setup: async (session) => ({ position: await session.appendMany('seq-append', 0, BODY_1K, 200) }), // 200 warm-up appends
        async op(session, state) {
          const res = await session.append('seq-append', state.position, BODY_1K);
          state.position += BODY_1K.length;
          return res.ms;
        },
      },
      SEQ_LIMITS,
    );
    ctx.log(`  ${r.emulator.ops} emulator / ${r.ceiling.ops} ceiling appends timed`);
    return [
      { id: 'seqAppendsPerSec', label: 'sequential 1 KiB appends', unit: '/s', emulator: opsPerSecond(r.emulator), ceiling: opsPerSecond(r.ceiling), goal: { kind: 'ratio>=', value: 0.5 } },
      { id: 'seqAppendP50Ms', label: '  latency p50', unit: 'ms', emulator: percentile(r.emulator.latencies, 50), ceiling: percentile(r.ceiling.latencies, 50) },
      { id: 'seqAppendP99Ms', label: '  latency p99', unit: 'ms', emulator: percentile(r.emulator.latencies, 99), ceiling: percentile(r.ceiling.latencies, 99) },
    ];
  },
};

// ---- 16 concurrent appenders -------------------------------------------------------------------

const APPENDERS = 16;
const CONCURRENT_LIMITS: Limits = { maxOps: 200_000, maxMs: 6_000 };

const concurrentAppends: Scenario = {
  id: 'concurrent-append',
  title: `${APPENDERS} concurrent appenders, each its own object`,
  async run(ctx) {
    const key = (worker: number): string => `concurrent-${worker}`;
    const r = await alternate(
      ctx,
      {
        connections: APPENDERS,
        // 20 warm-up appends per object, all objects at once.
        setup: (session) => Promise.all(Array.from({ length: APPENDERS }, (_, w) => session.appendMany(key(w), 0, BODY_1K, 20))),
        async op(session, positions, worker) {
          const res = await session.append(key(worker), positions[worker]!, BODY_1K);
          positions[worker]! += BODY_1K.length;
          return res.ms;
        },
      },
      CONCURRENT_LIMITS,
    );
    return [
      { id: 'concurrentAppendsPerSec', label: `${APPENDERS} appenders, 1 KiB appends`, unit: '/s', emulator: opsPerSecond(r.emulator), ceiling: opsPerSecond(r.ceiling), goal: { kind: 'ratio>=', value: 0.5 } },
      { id: 'concurrentAppendP50Ms', label: '  latency p50', unit: 'ms', emulator: percentile(r.emulator.latencies, 50), ceiling: percentile(r.ceiling.latencies, 50) },
    ];
  },
};

// ---- append latency on a small vs a large object ---------------------------------------------

const LATENCY_SAMPLES = 400;

const latencyVsSize: Scenario = {
  id: 'append-latency-size',
  title: 'append latency p50 on a 1 MiB vs a 256 MiB appendable object',
  async run(ctx) {
    const r = await both(ctx, async (target) => {
      const session = target.connect(1);
      try {
        const built = performance.now();
        const positions = {
          small: await session.appendMany('latency-1m', 0, BODY_1M, 1),
          big: await session.appendMany('latency-256m', 0, BODY_8M, 32),
        };
        ctx.log(`  ${target.name}: 256 MiB built in ${Math.round(performance.now() - built)} ms`);
        const latencies = { small: [] as number[], big: [] as number[] };
        // Alternate the two objects so drift (WAL checkpoints, GC) hits both alike; the first 40 warm up.
        const loop = await runLoop(1, { maxOps: 2 * LATENCY_SAMPLES + 40, maxMs: 30_000 }, async (_, i) => {
          const which = i % 2 === 0 ? 'small' : 'big';
          const res = await session.append(which === 'small' ? 'latency-1m' : 'latency-256m', positions[which], BODY_1K);
          positions[which] += BODY_1K.length;
          if (i >= 40) latencies[which].push(res.ms);
          return res.ms;
        });
        if (loop.timedOut) ctx.log(`  ${target.name}: time limit hit after ${loop.ops} appends`);
        const small = median(latencies.small);
        const big = median(latencies.big);
        return { small, big, ratio: big / small };
      } finally {
        session.close();
      }
    });
    return [
      { id: 'appendP50SmallObjectMs', label: 'append p50 on a 1 MiB object', unit: 'ms', emulator: r.emulator.small, ceiling: r.ceiling.small },
      { id: 'appendP50BigObjectMs', label: 'append p50 on a 256 MiB object', unit: 'ms', emulator: r.emulator.big, ceiling: r.ceiling.big },
      { id: 'appendLatencyRatio', label: '  ratio 256 MiB / 1 MiB', unit: '×', emulator: r.emulator.ratio, ceiling: r.ceiling.ratio, goal: { kind: '<=', value: 1.1 } },
    ];
  },
};

// ---- 64 MiB as 1 MiB appends, then one GET -----------------------------------------------------

const STREAM_REPEATS = 5;
const STREAM_BYTES = 64 * MiB;
/** Untimed whole-object GETs per server before the measured ones. */
const STREAM_WARM_UP_GETS = 3;
/** The ceiling preallocates this much to serve GETs from. */
export const CEILING_MAX_GET_BYTES = STREAM_BYTES;

const stream64: Scenario = {
  id: 'stream-64m',
  title: '64 MiB written as 1 MiB appends, then read back whole with GET',
  async run(ctx) {
    // For reference, a third server: the ceiling writing every body to a file.
    const storing = spawnCeiling({ port: await freePort(), maxGetBytes: 0, keepBodiesIn: join(ctx.workDir, 'storing-ceiling.bytes') });
    const sessions = { emulator: ctx.emulator.connect(1), ceiling: ctx.ceiling.connect(1), storing: ctx.ceiling.withChild(storing).connect(1) };
    const rates = { emulator: { append: [] as number[], get: [] as number[] }, ceiling: { append: [] as number[], get: [] as number[] }, storing: { append: [] as number[] } };
    const mbps = (bytes: number, since: number): number => bytes / MB / ((performance.now() - since) / 1000);
    try {
      await waitReady(storing, '/');
      // Untimed warm-up, as for the loops: the first GETs of a run are slower for both servers, by up
      // to ten times and for as many as five 64 MiB objects (the load generator's memory growing
      // into pages this VM is slow to hand out), which made the median a measure of that.
      for (const session of [sessions.emulator, sessions.ceiling]) {
        await session.appendMany('stream-warm-up', 0, BODY_1M, STREAM_BYTES / MiB);
        for (let i = 0; i < STREAM_WARM_UP_GETS; i++) await session.get('stream-warm-up', STREAM_BYTES);
      }
      await sessions.storing.appendMany('stream-warm-up', 0, BODY_1M, 8);
      const deadline = performance.now() + 90_000;
      // Alternate servers per object so background load hits all alike.
      for (let rep = 0; rep < STREAM_REPEATS && performance.now() < deadline; rep++) {
        for (const name of ['emulator', 'ceiling'] as const) {
          const key = `stream-64m-${rep}`;
          let started = performance.now();
          await sessions[name].appendMany(key, 0, BODY_1M, STREAM_BYTES / MiB);
          rates[name].append.push(mbps(STREAM_BYTES, started));
          started = performance.now();
          await sessions[name].get(key, STREAM_BYTES);
          rates[name].get.push(mbps(STREAM_BYTES, started));
        }
        const started = performance.now();
        await sessions.storing.appendMany(`stream-64m-${rep}`, 0, BODY_1M, STREAM_BYTES / MiB);
        rates.storing.append.push(mbps(STREAM_BYTES, started));
      }
      // Untimed, after the measurements: what the emulator stored is what was sent.
      for (let rep = 0; rep < rates.emulator.append.length; rep++) await sessions.emulator.verifyRepeated(`stream-64m-${rep}`, BODY_1M, STREAM_BYTES / MiB);
      ctx.log(`  emulator: all ${rates.emulator.append.length} objects read back byte-exact (CRC-64 of the bytes received)`);
    } finally {
      for (const session of Object.values(sessions)) session.close();
      await stopChild(storing);
    }
    for (const name of ['emulator', 'ceiling'] as const) {
      ctx.log(`  ${name}: append ${rates[name].append.map((v) => v.toFixed(0)).join(', ')} MB/s; GET ${rates[name].get.map((v) => v.toFixed(0)).join(', ')} MB/s`);
    }
    ctx.log(`  storing ceiling: append ${rates.storing.append.map((v) => v.toFixed(0)).join(', ')} MB/s`);
    const note = `median of ${rates.emulator.append.length} objects`;
    const append = median(rates.emulator.append);
    return [
      { id: 'append64MBps', label: '64 MiB as 1 MiB appends', unit: 'MB/s', emulator: append, ceiling: median(rates.ceiling.append), goal: { kind: 'ratio>=', value: 0.4 }, note },
      {
        id: 'append64StoringMBps',
        label: '  same ÷ a ceiling that keeps the bytes',
        unit: 'MB/s',
        emulator: append,
        ceiling: median(rates.storing.append),
        note: `${note}; the ceiling here also writes each body to a file (writeSync per piece): what storing bytes at all costs on this machine`,
      },
      { id: 'get64MBps', label: '64 MiB GET', unit: 'MB/s', emulator: median(rates.emulator.get), ceiling: median(rates.ceiling.get), goal: { kind: 'ratio>=', value: 0.6 }, note },
    ];
  },
};

// ---- HEAD while a large body is uploaded ---------------------------------------------------------

const BUSY_UPLOADS = 4; // × 64 MiB

/** HEADs on one connection while another appends BUSY_UPLOADS × 64 MiB in 1 MiB requests: their latencies, ms. */
async function headsDuringUploads(target: Target): Promise<number[]> {
  const uploader = target.connect(1);
  const asker = target.connect(1);
  try {
    await asker.append('busy-head', 0, BODY_1K);
    let uploading = true;
    const upload = async (): Promise<void> => {
      try {
        for (let i = 0; i < BUSY_UPLOADS; i++) await uploader.appendMany(`busy-upload-${i}`, 0, BODY_1M, STREAM_BYTES / MiB);
      } finally {
        uploading = false;
      }
    };
    const ask = async (): Promise<number[]> => {
      const latencies: number[] = [];
      while (uploading) latencies.push((await asker.head('busy-head')).ms);
      return latencies;
    };
    // Together, so that a failure of either is reported (and neither left running unobserved).
    const [, latencies] = await Promise.all([upload(), ask()]);
    return latencies;
  } finally {
    uploader.close();
    asker.close();
  }
}

const headDuringUpload: Scenario = {
  id: 'head-during-upload',
  title: `HEAD latency on one connection while another uploads ${BUSY_UPLOADS} × 64 MiB as 1 MiB appends`,
  async run(ctx) {
    const r = await both(ctx, headsDuringUploads);
    ctx.log(`  HEADs answered during the uploads: emulator ${r.emulator.length}, ceiling ${r.ceiling.length}`);
    const note = 'how much a large upload holds up other requests; no target';
    return [
      { id: 'headDuringUploadP50Ms', label: 'HEAD p50 during uploads', unit: 'ms', emulator: percentile(r.emulator, 50), ceiling: percentile(r.ceiling, 50), note },
      { id: 'headDuringUploadP99Ms', label: 'HEAD p99 during uploads', unit: 'ms', emulator: percentile(r.emulator, 99), ceiling: percentile(r.ceiling, 99), note },
    ];
  },
};

// ---- HEAD ----------------------------------------------------------------------------------------

const HEAD_LIMITS: Limits = { maxOps: 500_000, maxMs: 5_000 };

const head: Scenario = {
  id: 'head',
  title: 'HEAD of a 1 KiB object on 1 and 16 connections',
  async run(ctx) {
    const metrics: Metric[] = [];
    for (const connections of [1, 16]) {
      const key = `head-${connections}`;
      const r = await alternate(
        ctx,
        {
          connections,
          async setup(session) {
            await session.append(key, 0, BODY_1K);
            await runLoop(connections, { maxOps: 500, maxMs: 2_000 }, async () => (await session.head(key)).ms); // warm-up
          },
          op: async (session) => (await session.head(key)).ms,
        },
        HEAD_LIMITS,
      );
      metrics.push({
        id: `head${connections}ConnOpsPerSec`,
        label: `HEAD, ${connections} connection${connections > 1 ? 's' : ''}`,
        unit: '/s',
        emulator: opsPerSecond(r.emulator),
        ceiling: opsPerSecond(r.ceiling),
        goal: { kind: 'ratio>=', value: 0.5 },
      });
    }
    return metrics;
  },
};

// ---- peak RSS while 1 GiB is appended -------------------------------------------------------

const RSS_APPENDS = 128; // × 8 MiB = 1 GiB

interface RssResult {
  /** RSS just before the first append, MB. */
  before: number;
  /** Peak RSS while appending, MB. */
  peak: number;
  /** Append throughput, MB/s. */
  rate: number;
  /** How the peak was taken. */
  how: string;
  /** MiB appended (1024 unless the time limit hit). */
  mib: number;
}

/** Appends 1 GiB in 8 MiB requests to `target`, sampling its RSS; resets VmHWM first when allowed. */
async function appendGiBWatchingRss(target: Target): Promise<RssResult> {
  const pid = target.child.pid;
  const before = readMemory(pid).rss;
  const hwmReset = resetPeakRss(pid);
  const sampler = sampleRss(pid, 20);
  const session = target.connect(1);
  let position = 0;
  let loop: LoopResult;
  try {
    loop = await runLoop(1, { maxOps: RSS_APPENDS, maxMs: 120_000 }, async () => {
      const res = await session.append('rss-1g', position, BODY_8M);
      position += BODY_8M.length;
      return res.ms;
    });
  } finally {
    session.close();
  }
  const sampled = sampler.stop();
  const peak = hwmReset ? Math.max(sampled, readMemory(pid).hwm) : sampled;
  // Untimed, after the peak is read: the emulator stored what it was sent (the ceiling keeps nothing).
  if (target.name === 'emulator') {
    const check = target.connect(1);
    try {
      await check.verifyRepeated('rss-1g', BODY_8M, position / BODY_8M.length);
    } finally {
      check.close();
    }
  }
  return {
    before: before / MB,
    peak: peak / MB,
    rate: position / MB / (loop.elapsedMs / 1000),
    how: hwmReset ? 'VmHWM reset before, and VmRSS every 20 ms' : 'VmRSS every 20 ms',
    mib: position / MiB,
  };
}

const peakRss: Scenario = {
  id: 'rss-1g',
  title: 'peak RSS while a 1 GiB object is appended in 8 MiB requests',
  async run(ctx) {
    const r = await both(ctx, appendGiBWatchingRss);
    // The same on an emulator that has done nothing else, to tell leftovers of earlier scenarios from the append's own cost.
    const dataDir = mkdtempSync(join(ctx.workDir, 'rss-'));
    const child = spawnEmulator({ port: await freePort(), dataDir, bucket: ctx.bucket });
    let fresh: RssResult;
    try {
      await waitReady(child, EMULATOR_HEALTH);
      fresh = await appendGiBWatchingRss(ctx.emulator.withChild(child));
    } finally {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
    const line = (name: string, x: RssResult): string =>
      `  ${name}: RSS ${x.before.toFixed(0)} MB before, peak ${x.peak.toFixed(0)} MB (${x.how}); ${x.mib} MiB at ${x.rate.toFixed(0)} MB/s`;
    ctx.log(line('emulator', r.emulator));
    ctx.log(line('fresh emulator', fresh));
    ctx.log(line('ceiling', r.ceiling));
    const partial = (x: RssResult): string => (x.mib < 1024 ? `; time limit hit after ${x.mib} MiB` : '');
    return [
      {
        id: 'peakRssMB',
        label: 'peak RSS, 1 GiB in 8 MiB appends',
        unit: 'MB',
        emulator: r.emulator.peak,
        ceiling: r.ceiling.peak,
        goal: { kind: '<', value: 150 },
        note: `the bench's emulator after all other scenarios: RSS ${r.emulator.before.toFixed(0)} MB before; ${r.emulator.how}${partial(r.emulator)}`,
      },
      {
        id: 'peakRssFreshMB',
        label: '  same, fresh emulator process',
        unit: 'MB',
        emulator: fresh.peak,
        note: `a new emulator (empty data dir) doing only this: RSS ${fresh.before.toFixed(0)} MB before${partial(fresh)}`,
      },
      { id: 'append1GMBps', label: '  1 GiB append throughput', unit: 'MB/s', emulator: r.emulator.rate, ceiling: r.ceiling.rate },
    ];
  },
};

// ---- start-up time ---------------------------------------------------------------------------

const STARTUP_RUNS = 5;

const startup: Scenario = {
  id: 'startup',
  title: 'start-up: spawn until the first 200 (empty data dir)',
  async run(ctx) {
    const emulator: number[] = [];
    const ceiling: number[] = [];
    let recompiled = 0;
    const deadline = performance.now() + 60_000;
    for (let run = 0; run < STARTUP_RUNS && performance.now() < deadline; run++) {
      const dataDir = mkdtempSync(join(ctx.workDir, 'startup-'));
      const child = spawnEmulator({ port: await freePort(), dataDir, bucket: ctx.bucket, viaBin: true });
      try {
        emulator.push(await waitReady(child, EMULATOR_HEALTH));
        // bin/ossemu.js compiles first if any source is newer than dist/ (someone edited a file meanwhile).
        if (child.output().includes('compiling')) recompiled++;
      } finally {
        await stopChild(child);
        rmSync(dataDir, { recursive: true, force: true });
      }
      const koa = spawnCeiling({ port: await freePort(), maxGetBytes: 0 });
      try {
        ceiling.push(await waitReady(koa, '/'));
      } finally {
        await stopChild(koa);
      }
    }
    ctx.log(`  emulator ${emulator.map((ms) => ms.toFixed(0)).join(', ')} ms; ceiling ${ceiling.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    return [
      {
        id: 'startupMs',
        label: 'start-up to /_ossemu/health 200',
        unit: 'ms',
        emulator: median(emulator),
        ceiling: median(ceiling),
        goal: { kind: '<', value: 500 },
        note:
          `median of ${emulator.length} runs: ${emulator.map((ms) => round(ms, 0)).join(', ')} ms` +
          (recompiled ? `; WARNING: ${recompiled} run(s) recompiled TypeScript first (sources changed during the bench), so they are not start-up figures` : ''),
      },
    ];
  },
};

/** In the order they run. */
// head-during-upload runs last, so the long-running emulator's RSS figure is taken as before it existed.
export const SCENARIOS: readonly Scenario[] = [startup, sequentialAppends, concurrentAppends, head, latencyVsSize, stream64, peakRss, headDuringUpload];
