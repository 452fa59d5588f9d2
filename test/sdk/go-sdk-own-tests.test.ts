/**
 * The official OSS Go SDK's own integration tests, which its authors wrote and ran against real OSS,
 * run unchanged against the emulator. Debian's golang-github-aliyun-aliyun-oss-go-sdk-dev ships them
 * (`oss/*_test.go`, gocheck suites configured by OSS_TEST_ENDPOINT and the OSS_TEST_ACCESS_KEY_*
 * variables); they cover objects, appends, multipart and resumable transfers, copies, CRC checks,
 * ACLs, listing, restore and buckets, with assertions on what real OSS answered.
 *
 * Every test runs except those in NOT_RUN, each with its reason: a feature the emulator does not have
 * (docs/divergences.md) or an assumption about the machine the tests ran on. Every test run must
 * pass, and every test the package has must be accounted for.
 *
 * The package is copied to a scratch GOPATH, because its tests write files next to themselves and
 * read fixtures from `../sample`, which Debian does not ship: they are made here with the sizes the
 * tests assert (the contents are never compared with anything but themselves).
 *
 * Needs `go`, the SDK and gocheck (golang-gopkg-check.v1-dev), installed by `.ci/run`. If any is
 * missing this test FAILS; it is never skipped.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { buildGoTests, GOPATH, requireGo } from '../support/go.js';
import { describeRun, run } from '../support/process.js';

const SDK_IMPORT_PATH = 'github.com/aliyun/aliyun-oss-go-sdk';
const GOCHECK_DIR = `${GOPATH}/src/gopkg.in/check.v1`;
const INSTALL_HINT =
  'Run `.ci/run` (as root) or install them with `apt-get update && apt-get install -y golang-go ' +
  'golang-github-aliyun-aliyun-oss-go-sdk-dev golang-gopkg-check.v1-dev`.';

/** Tests not run, by `Suite.Test`, and why. */
const NOT_RUN: Record<string, string> = {
  'OssClientSuite.TestEndpointFormat': 'appends ":80" to the endpoint, so it needs an endpoint without a port that answers on port 80',
  'OssDownloadSuite.TestDownloadRoutineWithRecovery': "asserts OSS's multipart ETag of the SDK's sample picture, which Debian does not ship",
  'OssCopySuite.TestCopyRoutineWithRecovery': "asserts OSS's multipart ETag of the SDK's sample picture, which Debian does not ship",
  'OssBucketSuite.TestGetObjectToWriterNegative':
    'expects downloading to /root/123abc9874 to fail, as it does for a user other than root; it succeeds as root and leaves the file behind',
};

/**
 * Tests that wait for OSS's caches, 5 s at a time (about 80 s in all). They run beside the others,
 * against an emulator of their own (each run's set-up deletes every bucket the tests made), so that
 * they add nothing to the time the whole takes.
 */
const WAITING_TESTS: ReadonlySet<string> = new Set(
  [
    'TestCreateBucket', 'TestSetBucketLifecycle', 'TestDeleteBucketLifecycle', 'TestSetBucketReferer', 'TestSetBucketLogging',
    'TestDeleteBucketLogging', 'TestSetBucketLoggingNegative', 'TestSetBucketWebsite', 'TestDeleteBucketWebsite', 'TestSetBucketWebsiteNegative',
  ].map((name) => `OssClientSuite.${name}`),
);

/**
 * The sample files the tests read; the jpg's size is asserted (482048 bytes, and quarters of it), and
 * so is the length of its modification time as Go prints it, which whole seconds keep as it was.
 */
const SAMPLES: Record<string, number> = {
  'BingWallpaper-2015-11-07.jpg': 482_048,
  'The Go Programming Language.html': 61_000,
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("the official OSS Go SDK's own integration tests (Debian, SDK 1.5.0)", () => {
  let gopath: string | undefined;
  let packageDir = '';
  let testBinary = '';
  let allTests: string[] = [];
  const emulators: Emulator[] = [];
  // Thrown from the test, so a missing toolchain or a build failure is reported as a failure, never a skip.
  let setupError: unknown;

  beforeAll(async () => {
    try {
      requireGo(INSTALL_HINT);
      for (const needed of [join(GOPATH, 'src', SDK_IMPORT_PATH, 'oss', 'bucket_test.go'), join(GOCHECK_DIR, 'check.go')]) {
        if (!existsSync(needed)) throw new Error(`Missing ${needed}. ${INSTALL_HINT}`);
      }
      gopath = mkdtempSync(join(tmpdir(), 'ossemu-go-sdk-tests-'));
      const sdkCopy = join(gopath, 'src', SDK_IMPORT_PATH);
      packageDir = join(sdkCopy, 'oss');
      cpSync(join(GOPATH, 'src', SDK_IMPORT_PATH, 'oss'), packageDir, { recursive: true });
      writeSamples(join(sdkCopy, 'sample'));
      allTests = listTests(packageDir);
      testBinary = join(gopath, 'oss.test');
      // Its own GOPATH first, so the copy is what gets built; the rest (gocheck, the SDK's other
      // dependencies) comes from Debian's.
      await buildGoTests('.', testBinary, INSTALL_HINT, { cwd: packageDir, gopathFirst: gopath });
      emulators.push(await startEmulator({ port: 0 }), await startEmulator({ port: 0 }));
    } catch (error) {
      setupError = error;
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
    if (gopath) rmSync(gopath, { recursive: true, force: true });
  });

  it('every test not listed as not run passes', async () => {
    if (setupError) throw setupError;
    if (emulators.length < 2) throw new Error('emulators did not start');
    const unknown = [...Object.keys(NOT_RUN), ...WAITING_TESTS].filter((name) => !allTests.includes(name));
    expect(unknown, 'NOT_RUN or WAITING_TESTS name tests the package does not have').toEqual([]);
    const selected = allTests.filter((name) => !(name in NOT_RUN));
    const waiting = selected.filter((name) => WAITING_TESTS.has(name));
    const others = selected.filter((name) => !WAITING_TESTS.has(name));
    const runs = await Promise.all([runTests(emulators[0]!, others), runTests(emulators[1]!, waiting)]);
    for (const { names, result } of runs) {
      const outcomes = parseOutcomes(result.stdout);
      const notPassed = names.filter((name) => outcomes.get(name) !== 'PASS').map((name) => `${name}: ${outcomes.get(name) ?? 'not run'}`);
      const report = describeRun('go test of the SDK package', result);
      expect(notPassed, report).toEqual([]);
      expect(result.code, report).toBe(0);
    }
  }, 600_000);

  /** The package's tests named, against one emulator. */
  async function runTests(emulator: Emulator, names: string[]): Promise<{ names: string[]; result: Awaited<ReturnType<typeof run>> }> {
    // SDK 1.5.0 uses path style only for an IP endpoint; `localhost` would become `<bucket>.localhost`.
    const endpoint = emulator.endpoint.replace('//localhost:', '//127.0.0.1:');
    const result = await run(
      testBinary,
      ['-check.v', '-check.f', `^(${names.map((name) => name.replace('.', '\\.')).join('|')})$`],
      {
        ...process.env,
        OSS_TEST_ENDPOINT: endpoint,
        OSS_TEST_ACCESS_KEY_ID: emulator.accessKeyId,
        OSS_TEST_ACCESS_KEY_SECRET: emulator.accessKeySecret,
        // TestProxy sends its requests through a proxy: the emulator takes absolute-form requests too.
        OSS_TEST_PROXY_HOST: endpoint,
        OSS_TEST_PROXY_USER: 'ossemu',
        OSS_TEST_PROXY_PASSWORD: 'ossemu',
      },
      540_000,
      packageDir,
    );
    return { names, result };
  }
});

/** `Suite.Test` of every gocheck test in the package's registered suites. */
function listTests(packageDir: string): string[] {
  const sources = readdirSync(packageDir)
    .filter((name) => name.endsWith('_test.go'))
    .map((name) => readFileSync(join(packageDir, name), 'utf8'));
  const suites = new Set(sources.flatMap((source) => [...source.matchAll(/Suite\(&(\w+)\{/g)].map((m) => m[1]!)));
  const tests = sources.flatMap((source) =>
    [...source.matchAll(/^func \(\w+ \*(\w+)\) (Test\w+)\(\w+ \*C\)/gm)].filter((m) => suites.has(m[1]!)).map((m) => `${m[1]}.${m[2]}`),
  );
  if (tests.length === 0) throw new Error(`no gocheck tests found in ${packageDir}`);
  return tests;
}

/** gocheck's verbose lines, `PASS: bucket_test.go:111: OssBucketSuite.TestPutObject\t0.016s`, by test. */
function parseOutcomes(stdout: string): Map<string, string> {
  const outcomes = new Map<string, string>();
  for (const match of stdout.matchAll(/^(PASS|FAIL|PANIC|MISS|SKIP|FIXTURE-PANIC|EXPECTED FAILURE): \S+: (\w+\.\w+)/gm)) {
    outcomes.set(match[2]!, match[1]!);
  }
  return outcomes;
}

/** Fixture files of the given sizes, of bytes that vary (a run of one byte could hide a wrong offset). */
function writeSamples(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, size] of Object.entries(SAMPLES)) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const wholeSecond = Math.floor(Date.now() / 1000);
    utimesSync(path, wholeSecond, wholeSecond);
  }
}
