/**
 * denverdino/aliyungo's `oss` package (Debian golang-github-denverdino-aliyungo-dev), the client of
 * Docker Distribution's OSS storage driver, against the emulator as README.md tells its users to
 * reach it: as the client's HTTP proxy, since it puts the bucket only in the host name. Builds
 * test/sdk/aliyungo/proxy_scenario.go (the driver's calls: put, ranged get, stat, list, signed URL,
 * delete, a multipart upload and a move by CopyObject), runs it and requires exit code 0 and a final `OK`.
 *
 * The package's own tests, which its authors ran against real OSS (`oss/*_test.go`: buckets, objects,
 * ranges, large files, copies, signed URLs, ACLs, multipart uploads), run unchanged the same way, and
 * every one of them must pass.
 *
 * Needs `go` and the package's source (installed by `.ci/run`). If they are missing these tests
 * FAIL; they are never skipped.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { buildGoProgram, buildGoTests, GOPATH } from '../support/go.js';
import { describeRun, run } from '../support/process.js';

const PACKAGE_DIR = `${GOPATH}/src/github.com/denverdino/aliyungo/oss`;
const SOURCE = fileURLToPath(new URL('./aliyungo/proxy_scenario.go', import.meta.url));
const BUCKET = 'aliyungo-test';
type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const INSTALL_HINT =
  'Run `.ci/run` (as root) or install them with `apt-get update && apt-get install -y golang-go golang-github-denverdino-aliyungo-dev`.';

describe('aliyungo (Docker Distribution’s OSS client) through the emulator as its HTTP proxy', () => {
  let workDir: string | undefined;
  let binary = '';
  let ownTests = '';
  let emulator: Emulator | undefined;
  // A setup failure is thrown from the test itself, so it is reported as FAILED, never as skipped.
  let setupError: unknown;

  beforeAll(async () => {
    try {
      ({ workDir, binary } = await buildGoProgram(SOURCE, join(PACKAGE_DIR, 'client.go'), INSTALL_HINT));
      ownTests = join(workDir, 'oss.test');
      await buildGoTests('github.com/denverdino/aliyungo/oss', ownTests, INSTALL_HINT, { cwd: workDir });
      emulator = await startEmulator({ port: 0, buckets: [BUCKET] });
    } catch (error) {
      setupError = error;
    }
  }, 300_000);

  afterAll(async () => {
    await emulator?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** The environment of a Go program that reaches the emulator as its HTTP proxy. */
  function throughTheEmulator(running: Emulator): NodeJS.ProcessEnv {
    const proxy = `http://127.0.0.1:${running.port}`;
    // No NO_PROXY from the caller's environment may send the bucket's host name around the proxy.
    const { NO_PROXY: _noProxy, no_proxy: _lowerNoProxy, ...environment } = process.env;
    return { ...environment, HTTP_PROXY: proxy, http_proxy: proxy };
  }

  it('puts, reads a range, stats, lists, fetches a signed URL, writes by multipart upload, moves by CopyObject and deletes', async () => {
    if (setupError) throw setupError;
    if (!emulator) throw new Error('emulator did not start');
    const proxy = `http://127.0.0.1:${emulator.port}`;
    const result = await run(
      binary,
      [],
      { ...throughTheEmulator(emulator), OSS_ACCESS_KEY_ID: emulator.accessKeyId, OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret, OSS_BUCKET: BUCKET },
      120_000,
    );
    const report = describeRun(`aliyungo scenario through ${proxy}`, result);
    if (result.code !== 0 || !/^OK$/m.test(result.stdout)) console.error(report);
    expect(result.code, report).toBe(0);
    expect(result.stdout, report).toMatch(/^OK$/m);
  }, 180_000);

  it("passes the package's own tests, written against real OSS, unchanged", async () => {
    if (setupError) throw setupError;
    if (!emulator) throw new Error('emulator did not start');
    const expected = testsOf(PACKAGE_DIR);
    // They name their bucket by the clock and create it themselves; the region sets the host they reach.
    const environment = { ...throughTheEmulator(emulator), AccessKeyId: emulator.accessKeyId, AccessKeySecret: emulator.accessKeySecret, RegionId: 'oss-cn-hangzhou' };
    const result = await run(ownTests, ['-test.v'], environment, 240_000);
    const report = describeRun("aliyungo's own tests", result);
    const passed = [...result.stdout.matchAll(/^--- PASS: (\w+)/gm)].map((m) => m[1]);
    expect(expected.filter((name) => !passed.includes(name)), report).toEqual([]);
    expect(result.code, report).toBe(0);
  }, 300_000);
});

/** The `Test…` functions of a Go package's test files. */
function testsOf(packageDir: string): string[] {
  const tests = readdirSync(packageDir)
    .filter((name) => name.endsWith('_test.go'))
    .flatMap((name) => [...readFileSync(join(packageDir, name), 'utf8').matchAll(/^func (Test\w+)\(\w+ \*testing\.T\)/gm)].map((m) => m[1]!));
  if (tests.length === 0) throw new Error(`no tests found in ${packageDir}`);
  return tests;
}
