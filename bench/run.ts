/**
 * `npm run bench`: starts the emulator (on-disk storage in a temp dir; dist/bench/emulator-main.js,
 * i.e. the CLI without its build check) and the ceiling server as child processes, runs every
 * scenario against both, prints figures, ratios and PASS/MISS, and writes bench/results/latest.json.
 *
 * Options (after `npm run bench --`):
 *   --only id,id            run some scenarios (ids in scenarios.ts); results then go to --out only
 *   --out file              where to write the JSON (default bench/results/latest.json on a full run)
 *   --emulator-node-args="…" extra node flags for the emulator child, e.g. --emulator-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../emulator/config.js';
import { manageBodyMemory } from '../emulator/util/body-memory.js';
import { EMULATOR_HEALTH, freePort, killAllChildren, mallocEnvironment, readMemory, ROOT, spawnCeiling, spawnEmulator, stopChild, waitReady, type Child } from './processes.js';
import { formatMarkdown, formatTable, judge, machine, type JudgedMetric } from './report.js';
import { CEILING_MAX_GET_BYTES, SCENARIOS, type BenchContext } from './scenarios.js';
import { Target } from './target.js';

const BUCKET = 'bench';
/** Nothing should take this long; if it does, stop rather than hang. */
const WATCHDOG_MS = 10 * 60_000;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const round2 = (x: number): number => Math.round(x * 100) / 100;
/** Four significant digits, for the JSON. */
const sig = (x: number | undefined): number | undefined => (x === undefined || !Number.isFinite(x) ? x : Number(x.toPrecision(4)));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, out: { type: 'string' }, 'emulator-node-args': { type: 'string' } },
    strict: true,
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id));
  const out = values.out ?? (only ? undefined : join(ROOT, 'bench', 'results', 'latest.json'));
  const emulatorNodeArgs = values['emulator-node-args']?.split(/\s+/).filter(Boolean) ?? [];

  // The load generator receives 64 MiB GETs: its memory is kept as the servers keep theirs (see
  // ceiling-server.ts), or its own page faults would set the pace of both servers' downloads.
  manageBodyMemory();
  const workDir = mkdtempSync(join(tmpdir(), 'ossemu-bench-'));
  const children: Child[] = [];
  const cleanup = (): void => {
    killAllChildren();
    rmSync(workDir, { recursive: true, force: true });
  };
  const abort = (reason: string): void => {
    log(`bench: ${reason}, stopping`);
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', () => abort('SIGINT'));
  process.once('SIGTERM', () => abort('SIGTERM'));
  setTimeout(() => abort(`still running after ${WATCHDOG_MS / 60_000} minutes`), WATCHDOG_MS).unref();

  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`bench: load average ${loadAtStart.toFixed(2)} at start: something else is using the CPUs, figures will be noisy`);
  const metrics: JudgedMetric[] = [];
  const failures: string[] = [];
  const rssAfter: Record<string, number> = {};
  try {
    const emulatorChild = spawnEmulator({ port: await freePort(), dataDir: join(workDir, 'data'), bucket: BUCKET, nodeArgs: emulatorNodeArgs });
    children.push(emulatorChild);
    const ceilingChild = spawnCeiling({ port: await freePort(), maxGetBytes: CEILING_MAX_GET_BYTES });
    children.push(ceilingChild);
    await waitReady(emulatorChild, EMULATOR_HEALTH);
    await waitReady(ceilingChild, '/');
    log(`bench: emulator pid ${emulatorChild.pid} on ${emulatorChild.origin} (data in ${join(workDir, 'data')}), ceiling pid ${ceilingChild.pid} on ${ceilingChild.origin}`);
    const malloc = Object.entries(mallocEnvironment()).map(([name, value]) => `${name}=${value}`);
    if (malloc.length > 0) log(`bench: servers run with ${malloc.join(' ')}`);

    const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET };
    const ctx: BenchContext = {
      emulator: new Target('emulator', emulatorChild, BUCKET, credentials),
      ceiling: new Target('ceiling', ceilingChild, BUCKET, credentials),
      bucket: BUCKET,
      workDir,
      log,
    };
    for (const scenario of scenarios) {
      const t0 = performance.now();
      log(`bench: ${scenario.id}: ${scenario.title}`);
      try {
        const results = (await scenario.run(ctx)).map(judge);
        metrics.push(...results);
        for (const m of results) if (m.result) log(`  ${m.result} ${m.label.trim()}`);
      } catch (error) {
        failures.push(`${scenario.id}: ${(error as Error).message}`);
        log(`  FAILED: ${(error as Error).stack ?? String(error)}`);
        for (const child of children) {
          if (child.process.exitCode !== null || child.process.signalCode !== null) log(`  ${child.name} has exited; its last output:\n${child.output()}`);
        }
      }
      // Memory a scenario leaves behind in the long-running emulator shows up here.
      let rss = '';
      try {
        const memory = readMemory(emulatorChild.pid);
        rss = `; emulator RSS now ${(memory.rss / 1e6).toFixed(0)} MB`;
        rssAfter[scenario.id] = Math.round(memory.rss / 1e6);
      } catch {
        // exited; reported above
      }
      log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s${rss})`);
    }
    // A graceful stop, so an emulator run with --cpu-prof writes its profile.
    await Promise.all(children.map((child) => stopChild(child, 10_000)));
  } finally {
    cleanup();
  }

  const seconds = (Date.now() - started) / 1000;
  const judged = metrics.filter((m) => m.result);
  const missed = judged.filter((m) => m.result === 'MISS');
  process.stdout.write(`\n${formatTable(metrics)}\n\n`);
  process.stdout.write(`${judged.length - missed.length} PASS, ${missed.length} MISS${failures.length ? `, ${failures.length} scenario(s) FAILED` : ''}; ${seconds.toFixed(0)} s\n`);
  for (const m of metrics) if (m.note) process.stdout.write(`  ${m.label.trim()}: ${m.note}\n`);
  for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);

  if (out) {
    const result = {
      date: new Date(started).toISOString(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      durationSeconds: Math.round(seconds),
      machine: machine(),
      mallocEnvironment: mallocEnvironment(),
      loadAverage1m: { start: round2(loadAtStart), end: round2(loadavg()[0]!) },
      ratio: 'emulator ÷ ceiling',
      units: { throughput: 'MB = 10^6 bytes', memory: 'MB = 10^6 bytes' },
      summary: { pass: judged.length - missed.length, miss: missed.length, failed: failures },
      metrics: metrics.map((m) => ({ ...m, label: m.label.trim(), emulator: sig(m.emulator), ceiling: sig(m.ceiling), ratio: sig(m.ratio) })),
      emulatorRssAfterScenarioMB: rssAfter,
      markdown: formatMarkdown(metrics),
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`results written to ${relative(process.cwd(), out) || out}\n`);
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
