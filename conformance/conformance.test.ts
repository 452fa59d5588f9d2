import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OssClient } from '../client/index.js';
import { startChildEmulator, type ChildEmulator } from '../test/support/child-emulator.js';
import { diffReports } from './diff.js';
import { formatTable, summarize, writeReports } from './report.js';
import { runSuite } from './runner.js';
import { openTarget, MissingConfiguration, putOnlyPolicy } from './target.js';
import type { Report } from './types.js';

/** The cases that create a bucket of their own, so they are skipped against OSS without OSS_ALLOW_BUCKET_OPS=1. */
const BUCKET_OP_CASES = ['bucket.lifecycle', 'bucket.cors', 'bucket.configurations', 'bucket.worm-in-progress', 'versioning.delete-marker', 'versioning.append'];

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'ossemu-conformance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const failures = (report: Report): string[] => report.cases.filter((c) => c.status === 'fail').map((c) => `${c.id} [${c.driver}]: ${c.reason}`);

describe('against the in-process emulator (OSS_TARGET=emulator)', () => {
  let report: Report;
  beforeAll(async () => {
    report = await runSuite({ target: 'emulator', env: {}, fixturesDir: FIXTURES });
  });

  test('every case passes with both drivers, none skipped', () => {
    expect(failures(report)).toEqual([]);
    expect(report.cases.filter((c) => c.status === 'skip')).toEqual([]);
    expect(new Set(report.cases.map((c) => c.driver))).toEqual(new Set(['wire', 'ali-oss']));
    expect(report.cases.length).toBeGreaterThan(40);
  });

  test('documented fixtures are compared and agree', () => {
    const compared = report.cases.filter((c) => c.fixture?.kind === 'documented');
    expect(compared.length).toBeGreaterThan(0);
    for (const c of compared) expect(c.fixture!.differences, c.id).toEqual([]);
  });

  test('the report is written as JSON and Markdown in the documented shape', () => {
    const files = writeReports(report, scratch);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as Report;
    expect(json).toMatchObject({ target: 'emulator', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), startedAt: expect.any(String) });
    for (const c of json.cases) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'title', 'driver', 'status', 'reason', 'ms']));
      expect(['pass', 'fail', 'skip']).toContain(c.status);
    }
    const markdown = readFileSync(files.markdown, 'utf8');
    expect(markdown).toContain('| append.position-not-equal — ');
    const { pass, fail, skip } = summarize(report);
    expect(formatTable(report).split('\n').at(-1)).toBe(`${pass} passed, ${fail} failed, ${skip} skipped`);
  });
});

/**
 * The real-OSS code path, proven against an emulator started as a separate process with its own
 * key pair: env configuration, the run prefix, cleanup, and recording then replaying fixtures.
 */
describe('the oss target path against a separately started emulator', () => {
  const BUCKET = 'conformance-target';
  const credentials = { accessKeyId: 'LTAIconformanceTarget', accessKeySecret: 'conformance-target-secret' };
  const putOnly = { accessKeyId: 'LTAIconformancePutOnly', accessKeySecret: 'conformance-put-only-secret' };
  const decoys = ['decoy.txt', 'ossemu-conformance/another-run/keep.txt', 'ossemu-conformance-like/x', 'dir/nested/decoy.bin'];
  const recorded = join(scratch, 'fixtures');
  let child: ChildEmulator;
  let admin: OssClient;
  let report: Report;
  let before: Array<[string, string]>;

  const snapshot = async (): Promise<Array<[string, string]>> => {
    const listing = await admin.listObjectsV2(BUCKET, { maxKeys: 1000 });
    return (listing.contents ?? []).map((o) => [o.key, o.etag]);
  };

  beforeAll(async () => {
    child = await startChildEmulator(
      ['--in-memory', '--buckets', BUCKET, '--log-level', 'info', '--log-format', 'json'],
      {
        OSSEMU_ACCESS_KEY_ID: credentials.accessKeyId,
        OSSEMU_ACCESS_KEY_SECRET: credentials.accessKeySecret,
        OSSEMU_REGION: 'cn-shanghai',
        // The RAM user a real account would set up for the permission cases, with the policy the README gives.
        OSSEMU_RAM_USERS: JSON.stringify({ name: 'put-only', ...putOnly, policy: putOnlyPolicy(BUCKET) }),
      },
    );
    admin = new OssClient({ endpoint: child.endpoint, region: 'cn-shanghai', ...credentials });
    for (const key of decoys) expect((await admin.putObject(BUCKET, key, `decoy ${key}`)).status).toBe(200);
    before = await snapshot();
    report = await runSuite({
      target: 'oss',
      env: {
        OSS_ENDPOINT: child.endpoint,
        OSS_REGION: 'cn-shanghai',
        OSS_BUCKET: BUCKET,
        OSS_ACCESS_KEY_ID: credentials.accessKeyId,
        OSS_ACCESS_KEY_SECRET: credentials.accessKeySecret,
        OSS_RAM_ACCESS_KEY_ID: putOnly.accessKeyId,
        OSS_RAM_ACCESS_KEY_SECRET: putOnly.accessKeySecret,
      },
      fixturesDir: recorded,
      record: true,
    });
  });

  afterAll(async () => {
    admin.destroy();
    child.process.kill('SIGTERM');
    await child.exited;
  });

  test('every case passes; bucket operations are skipped without OSS_ALLOW_BUCKET_OPS=1', () => {
    expect(failures(report)).toEqual([]);
    expect(report.target).toBe('oss');
    const skipped = report.cases.filter((c) => c.status === 'skip');
    expect([...new Set(skipped.map((c) => c.id))]).toEqual(BUCKET_OP_CASES);
    for (const c of skipped) expect(c.reason).toContain('OSS_ALLOW_BUCKET_OPS=1');
  });

  test('cleanup leaves the bucket exactly as it was, decoys included', async () => {
    expect(await snapshot()).toEqual(before);
    const buckets = await admin.listBuckets();
    expect((buckets.buckets ?? []).map((b) => b.name)).toEqual([BUCKET]);
  });

  test('no request touched a key outside the run prefix', () => {
    const requests = child
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; bucket?: string; key?: string; operation?: string })
      .filter((r) => r.msg === 'request' && r.key !== undefined);
    const suiteRequests = requests.filter((r) => !decoys.includes(r.key!));
    expect(suiteRequests.length).toBeGreaterThan(100);
    const outside = suiteRequests.filter((r) => r.bucket === BUCKET && !r.key!.startsWith(report.prefix));
    expect(outside).toEqual([]);
  });

  test('recording writes one fixture per wire case that recorded exchanges, marked as recorded', () => {
    const files = readdirSync(join(recorded, 'recorded'));
    expect(files).toContain('append.position-not-equal.json');
    const fixture = JSON.parse(readFileSync(join(recorded, 'recorded', 'append.position-not-equal.json'), 'utf8'));
    expect(fixture.source).toMatchObject({ kind: 'recorded', region: 'cn-shanghai' });
    expect(fixture.exchanges['append-mismatch']).toMatchObject({
      status: 409,
      headers: { 'x-oss-next-append-position': '3', 'x-oss-request-id': '<hex24>' },
      body: { Error: { Code: 'PositionNotEqualToLength', RequestId: '<request-id>', HostId: '<host-id>' } },
    });
    expect(JSON.stringify(fixture)).not.toContain(report.prefix);
  });

  test('replaying the recording against the emulator shows no differences', async () => {
    const replay = await runSuite({ target: 'emulator', env: {}, fixturesDir: recorded });
    expect(failures(replay)).toEqual([]);
    const compared = replay.cases.filter((c) => c.fixture?.kind === 'recorded');
    expect(compared.length).toBe(readdirSync(join(recorded, 'recorded')).length);
    expect(diffReports(report, replay).filter((row) => !BUCKET_OP_CASES.some((id) => row.startsWith(id)))).toEqual([]);
  });
});

test('a replay whose behaviour differs from the recording fails the case and names the difference', async () => {
  const dir = join(scratch, 'tampered');
  await runSuite({ target: 'emulator', env: {}, fixturesDir: dir, record: true, filter: /^append\.position-not-equal$/ });
  const path = join(dir, 'recorded', 'append.position-not-equal.json');
  const fixture = JSON.parse(readFileSync(path, 'utf8'));
  fixture.exchanges['append-mismatch'].headers['x-oss-next-append-position'] = '4';
  (await import('node:fs')).writeFileSync(path, JSON.stringify(fixture));
  const replay = await runSuite({ target: 'emulator', env: {}, fixturesDir: dir, filter: /^append\.position-not-equal$/, drivers: ['wire'] });
  expect(replay.cases[0]).toMatchObject({ status: 'fail' });
  expect(replay.cases[0]!.reason).toContain('x-oss-next-append-position is 3, fixture 4');
});

test('the oss target names every missing variable', async () => {
  await expect(openTarget('oss', { OSS_ENDPOINT: 'https://oss-cn-hangzhou.aliyuncs.com', OSS_BUCKET: 'b' })).rejects.toThrow(MissingConfiguration);
  await expect(openTarget('oss', { OSS_ENDPOINT: 'https://oss-cn-hangzhou.aliyuncs.com', OSS_BUCKET: 'b' })).rejects.toThrow(
    /OSS_REGION, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET/,
  );
});

test('diffReports lists only the cases where two runs disagree', () => {
  const base = { endpoint: 'x', startedAt: '', prefix: '' };
  const row = (id: string, status: 'pass' | 'fail' | 'skip') => ({ id, title: id, driver: 'wire' as const, confidence: 'validated' as const, status, reason: '', ms: 1 });
  const a: Report = { ...base, target: 'emulator', cases: [row('a', 'pass'), row('b', 'pass'), row('c', 'pass')] };
  const b: Report = { ...base, target: 'oss', cases: [row('a', 'pass'), row('b', 'fail')] };
  expect(diffReports(a, b)).toEqual(['b [wire]: emulator pass | oss fail', 'c [wire]: emulator pass | oss not run']);
  expect(existsSync(FIXTURES)).toBe(true);
});
