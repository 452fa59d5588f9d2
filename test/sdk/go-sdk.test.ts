/**
 * The official Alibaba Cloud OSS Go SDK v1 (Debian golang-github-aliyun-aliyun-oss-go-sdk-dev 1.5.0,
 * GOPATH mode) must work unchanged against the emulator: build test/sdk/go/seed_scenario.go, start an
 * in-process emulator, run the binary against it and require exit code 0 and a final `OK`. It ends
 * by appending as a RAM user whose policy allows only oss:PutObject. The same binary then runs
 * generated objects (odd keys, metadata, content types) given in OSS_CASES_FILE.
 *
 * Needs `go` and the SDK source (installed by `.ci/run`). If they are missing this test FAILS; it is
 * never skipped.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { buildGoProgram, GOPATH } from '../support/go.js';
import { generatedObjects } from '../support/generated-objects.js';
import { describeRun, run } from '../support/process.js';

const SDK_DIR = `${GOPATH}/src/github.com/aliyun/aliyun-oss-go-sdk/oss`;
const SOURCE = fileURLToPath(new URL('./go/seed_scenario.go', import.meta.url));
const BUCKET = 'go-sdk-test';
const INSTALL_HINT =
  'Run `.ci/run` (as root) or install the toolchain and SDK with ' +
  '`apt-get update && apt-get install -y golang-go golang-github-aliyun-aliyun-oss-go-sdk-dev`.';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Generated cases (`test/support/generated-objects.ts`), fixed so CI is repeatable; the env explores further. */
const GENERATED_SEED = Number(process.env['OSSEMU_SDK_FUZZ_SEED'] ?? 20261202);
const GENERATED_CASES = Number(process.env['OSSEMU_SDK_FUZZ_RUNS'] ?? 40);

/** A RAM user the scenario appends with: oss:PutObject in the bucket, nothing more. */
const RAM_USER = {
  name: 'go-appender',
  accessKeyId: 'go-appender-key',
  accessKeySecret: 'go-appender-secret',
  policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:${BUCKET}/*` }] },
};

describe('Alibaba Cloud OSS Go SDK v1 1.5.0 against the emulator', () => {
  let workDir: string | undefined;
  let binary = '';
  let emulator: Emulator | undefined;

  // A setup failure (no Go, no SDK, build error, emulator start error) is recorded here and thrown
  // from the test itself, so the test is reported as FAILED with the reason, never as skipped.
  let setupError: unknown;

  beforeAll(async () => {
    try {
      await setUp();
    } catch (error) {
      setupError = error;
    }
  }, 300_000);

  async function setUp(): Promise<void> {
    ({ workDir, binary } = await buildGoProgram(SOURCE, join(SDK_DIR, 'bucket.go'), INSTALL_HINT));
    emulator = await startEmulator({ port: 0, buckets: [BUCKET], ramUsers: [RAM_USER] });
  }

  afterAll(async () => {
    await emulator?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the append-upload seed scenario (CRC-checked appends, errors, odd keys, list, delete, a RAM user)', async () => {
    if (setupError) throw setupError;
    if (!emulator) throw new Error('emulator did not start');
    // SDK 1.5.0 only uses path style for an IP endpoint; `localhost` would become `go-sdk-test.localhost`.
    const endpoint = emulator.endpoint.replace('//localhost:', '//127.0.0.1:');
    const result = await run(
      binary,
      [],
      {
        ...process.env,
        OSS_ENDPOINT: endpoint,
        OSS_ACCESS_KEY_ID: emulator.accessKeyId,
        OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret,
        OSS_BUCKET: BUCKET,
        OSS_RAM_ACCESS_KEY_ID: RAM_USER.accessKeyId,
        OSS_RAM_ACCESS_KEY_SECRET: RAM_USER.accessKeySecret,
      },
      120_000,
    );
    const report = describeRun(`Go SDK seed scenario against ${endpoint}`, result);
    if (result.code !== 0 || !/^OK$/m.test(result.stdout)) console.error(report);
    expect(result.code, report).toBe(0);
    expect(result.stdout, report).toMatch(/^OK$/m);
  }, 180_000);

  it(`puts, reads, lists, appends to and deletes ${GENERATED_CASES} generated objects (odd keys, metadata, content types)`, async () => {
    if (setupError) throw setupError;
    if (!emulator || !workDir) throw new Error('emulator did not start');
    const cases = fc.sample(generatedObjects, { seed: GENERATED_SEED, numRuns: GENERATED_CASES });
    const file = join(workDir, 'cases.json');
    // []byte fields read base64 in Go's encoding/json.
    writeFileSync(file, JSON.stringify(cases.map((c) => ({ key: c.key, body: c.body.toString('base64'), meta: c.meta, contentType: c.contentType ?? '' }))));
    const endpoint = emulator.endpoint.replace('//localhost:', '//127.0.0.1:');
    const result = await run(
      binary,
      [],
      { ...process.env, OSS_ENDPOINT: endpoint, OSS_ACCESS_KEY_ID: emulator.accessKeyId, OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret, OSS_BUCKET: BUCKET, OSS_CASES_FILE: file },
      120_000,
    );
    const report = describeRun(`Go SDK generated cases against ${endpoint}`, result);
    expect(result.code, report).toBe(0);
    expect(result.stdout, report).toMatch(/^OK$/m);
  }, 180_000);
});
