/**
 * denverdino/aliyungo's `oss` package (Debian golang-github-denverdino-aliyungo-dev), the client of
 * Docker Distribution's OSS storage driver, against the emulator as README.md tells its users to
 * reach it: as the client's HTTP proxy, since it puts the bucket only in the host name. Builds
 * test/sdk/aliyungo/proxy_scenario.go (the driver's calls: put, ranged get, stat, list, signed URL,
 * delete, a multipart upload and a move by CopyObject), runs it and requires exit code 0 and a final `OK`.
 *
 * Needs `go` and the package's source (installed by `.ci/run`). If they are missing this test
 * FAILS; it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { GOPATH, goEnv } from '../support/go.js';
import { describeRun, run } from '../support/process.js';

const PACKAGE_DIR = `${GOPATH}/src/github.com/denverdino/aliyungo/oss`;
const SOURCE = fileURLToPath(new URL('./aliyungo/proxy_scenario.go', import.meta.url));
const BUCKET = 'aliyungo-test';
const INSTALL_HINT =
  'Run `.ci/run` (as root) or install them with `apt-get update && apt-get install -y golang-go golang-github-denverdino-aliyungo-dev`.';

describe('aliyungo (Docker Distribution’s OSS client) through the emulator as its HTTP proxy', () => {
  let workDir: string | undefined;
  let binary = '';
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  // A setup failure is thrown from the test itself, so it is reported as FAILED, never as skipped.
  let setupError: unknown;

  beforeAll(async () => {
    try {
      const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
      if (goVersion.error || goVersion.status !== 0) throw new Error(`The Go toolchain is not installed. ${INSTALL_HINT}`);
      if (!existsSync(join(PACKAGE_DIR, 'client.go'))) throw new Error(`The aliyungo source is missing (${PACKAGE_DIR}). ${INSTALL_HINT}`);
      workDir = mkdtempSync(join(tmpdir(), 'ossemu-aliyungo-'));
      binary = join(workDir, 'proxy_scenario');
      const build = await run('go', ['build', '-o', binary, SOURCE], goEnv(), 280_000);
      if (build.code !== 0) throw new Error(`${describeRun('go build of test/sdk/aliyungo/proxy_scenario.go failed', build)}\n${INSTALL_HINT}`);
      emulator = await startEmulator({ port: 0, buckets: [BUCKET] });
    } catch (error) {
      setupError = error;
    }
  }, 300_000);

  afterAll(async () => {
    await emulator?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('puts, reads a range, stats, lists, fetches a signed URL, writes by multipart upload, moves by CopyObject and deletes', async () => {
    if (setupError) throw setupError;
    if (!emulator) throw new Error('emulator did not start');
    const proxy = `http://127.0.0.1:${emulator.port}`;
    // No NO_PROXY from the caller's environment may send the bucket's host name around the proxy.
    const { NO_PROXY: _noProxy, no_proxy: _lowerNoProxy, ...environment } = process.env;
    const result = await run(
      binary,
      [],
      {
        ...environment,
        HTTP_PROXY: proxy,
        http_proxy: proxy,
        OSS_ACCESS_KEY_ID: emulator.accessKeyId,
        OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret,
        OSS_BUCKET: BUCKET,
      },
      120_000,
    );
    const report = describeRun(`aliyungo scenario through ${proxy}`, result);
    if (result.code !== 0 || !/^OK$/m.test(result.stdout)) console.error(report);
    expect(result.code, report).toBe(0);
    expect(result.stdout, report).toMatch(/^OK$/m);
  }, 180_000);
});
