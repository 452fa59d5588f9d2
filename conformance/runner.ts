import type OSS from 'ali-oss';
import { randomBytes } from 'node:crypto';
import type { OssClient, OssResponse } from '../client/index.js';
import { ALL_CASES } from './cases/index.js';
import { compareWithFixture, loadFixture, normalizeExchange, writeRecording, type NormalizedExchange } from './fixtures.js';
import { sdkClient } from './sdk.js';
import { wireClient } from './wire.js';
import { openTarget } from './target.js';
import type { CaseContext, CaseDefinition, CaseResult, Driver, Report, TargetInfo } from './types.js';
import { DRIVERS } from './types.js';

export interface RunOptions {
  target: 'emulator' | 'oss';
  env: NodeJS.ProcessEnv;
  /** Folder holding `recorded/` and `documented/` fixtures. */
  fixturesDir: string;
  /** Write this run's exchanges as recordings (only meaningful against real OSS). */
  record?: boolean;
  /** Only cases whose id matches. */
  filter?: RegExp;
  drivers?: readonly Driver[];
  cases?: readonly CaseDefinition[];
  /** Called with each result as it completes. */
  onResult?: (result: CaseResult) => void;
}

/** How long one case may take before it counts as failed. */
const CASE_TIMEOUT_MS = 60_000;

class Skip extends Error {}

/**
 * Runs every case with every driver it supports against one target. All keys live under a
 * unique prefix in the target bucket; everything under it is deleted afterwards, also after
 * failures, and nothing outside it is ever listed, written or deleted.
 */
export async function runSuite(options: RunOptions): Promise<Report> {
  const target = await openTarget(options.target, options.env);
  const info = target.info;
  const prefix = `ossemu-conformance/${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}/`;
  const wire = wireClient(info);
  const sdk = sdkClient(info);
  const report: Report = { target: info.name, endpoint: info.endpoint, startedAt: new Date().toISOString(), prefix, cases: [] };
  const drivers = options.drivers ?? DRIVERS;
  const stragglers: Array<Promise<unknown>> = [];
  try {
    for (const definition of options.cases ?? ALL_CASES) {
      if (options.filter && !options.filter.test(definition.id)) continue;
      const exchanges: Record<string, NormalizedExchange> = {};
      for (const driver of drivers) {
        const body = definition.runs[driver];
        if (!body) continue;
        const result = await runCase(definition, driver, body, { info, wire, sdk, prefix, exchanges, stragglers });
        if (driver === 'wire') compareFixture(result, options, definition.id, exchanges);
        report.cases.push(result);
        options.onResult?.(result);
      }
      if (options.record && Object.keys(exchanges).length > 0) writeRecording(options.fixturesDir, definition.id, info.region, exchanges);
    }
  } finally {
    try {
      // A case that timed out may still be writing: let it finish (bounded) so cleanup sees its keys.
      await withTimeout(Promise.allSettled(stragglers), CASE_TIMEOUT_MS).catch(() => undefined);
      await deleteEverythingUnder(wire, info.bucket, prefix);
    } finally {
      wire.destroy();
      await target.close();
    }
  }
  return report;
}

interface RunEnvironment {
  info: TargetInfo;
  wire: OssClient;
  sdk: OSS;
  prefix: string;
  exchanges: Record<string, NormalizedExchange>;
  /** Bodies of cases that timed out, still running. */
  stragglers: Array<Promise<unknown>>;
}

async function runCase(definition: CaseDefinition, driver: Driver, body: (t: CaseContext) => Promise<void>, env: RunEnvironment): Promise<CaseResult> {
  const started = performance.now();
  const context: CaseContext = {
    driver,
    target: env.info,
    bucket: env.info.bucket,
    wire: env.wire,
    sdk: env.sdk,
    key: (name) => `${env.prefix}${definition.id}/${driver}/${name}`,
    record: (name: string, response: OssResponse) => {
      if (driver === 'wire') env.exchanges[name] = normalizeExchange(response, { bucket: env.info.bucket, prefix: env.prefix });
    },
    skip: (reason) => {
      throw new Skip(reason);
    },
  };
  const base = { id: definition.id, title: definition.title, driver, confidence: definition.confidence };
  const running = body(context);
  try {
    await withTimeout(running, CASE_TIMEOUT_MS);
    return { ...base, status: 'pass', reason: '', ms: elapsed(started) };
  } catch (error) {
    if (error instanceof Skip) return { ...base, status: 'skip', reason: error.message, ms: elapsed(started) };
    if (error instanceof CaseTimeout) env.stragglers.push(running.catch(() => undefined));
    return { ...base, status: 'fail', reason: firstLine(error), ms: elapsed(started) };
  }
}

/** A passing case whose exchanges differ from its fixture fails: the fixture is what real OSS does. */
function compareFixture(result: CaseResult, options: RunOptions, caseId: string, exchanges: Record<string, NormalizedExchange>): void {
  if (options.record) return;
  const fixture = loadFixture(options.fixturesDir, caseId);
  if (!fixture) return;
  const differences = compareWithFixture(fixture, exchanges);
  result.fixture = { kind: fixture.source.kind, source: fixture.source.doc ?? `${fixture.source.date ?? ''} ${fixture.source.region ?? ''}`.trim(), differences };
  if (differences.length > 0 && result.status === 'pass') {
    result.status = 'fail';
    result.reason = `differs from ${fixture.source.kind} fixture: ${differences[0]}${differences.length > 1 ? ` (+${differences.length - 1} more)` : ''}`;
  }
}

/** Lists only under the run prefix and deletes it all, in batches of 1000. */
export async function deleteEverythingUnder(wire: OssClient, bucket: string, prefix: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const listing = await wire.listObjectsV2(bucket, { prefix, maxKeys: 1000 });
    // The client returns HTTP errors instead of throwing: an error must not read as "nothing left".
    if (listing.error) throw new Error(`cleanup could not list ${prefix}: ${listing.error.code} ${listing.error.message}`);
    const keys = (listing.contents ?? []).map((o) => o.key).filter((k) => k.startsWith(prefix));
    if (keys.length === 0) return;
    const deleted = await wire.deleteMultipleObjects(bucket, keys, { quiet: true });
    if (deleted.error) throw new Error(`cleanup could not delete under ${prefix}: ${deleted.error.code} ${deleted.error.message}`);
  }
  throw new Error(`could not empty ${prefix} in 100 rounds`);
}

class CaseTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CaseTimeout(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').filter((line) => line.trim() !== '').slice(0, 3).join(' ').slice(0, 400);
}
