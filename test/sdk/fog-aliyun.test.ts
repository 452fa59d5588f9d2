/**
 * fog-aliyun (Debian ruby-fog-aliyun), the client GitLab's object storage uses for Alibaba Cloud,
 * against the emulator as README.md tells its users to reach it: as the client's HTTP proxy, since
 * it builds `<bucket>.oss-<region>.aliyuncs.com` URLs whatever the endpoint. Runs
 * test/sdk/fog/proxy_scenario.rb (list buckets; put, head, whole and ranged get; a streamed File;
 * listings with prefix, delimiter, marker and max-keys; the File and Directory models; deletes) and
 * requires exit code 0 and a final `OK`.
 *
 * Needs `ruby` and the fog-aliyun package (installed by `.ci/run`). If they are missing this test
 * FAILS; it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { describeRun, run } from '../support/process.js';

const SCENARIO = fileURLToPath(new URL('./fog/proxy_scenario.rb', import.meta.url));
const BUCKET = 'fog-test';
const INSTALL_HINT = 'Run `.ci/run` (as root) or install it with `apt-get update && apt-get install -y ruby-fog-aliyun`.';

describe('fog-aliyun (GitLab’s OSS client) through the emulator as its HTTP proxy', () => {
  let scratch: string | undefined;
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  // A setup failure is thrown from the test itself, so it is reported as FAILED, never as skipped.
  let setupError: unknown;

  beforeAll(async () => {
    try {
      const probe = spawnSync('ruby', ['-e', "require 'fog/aliyun'"], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) throw new Error(`ruby or fog-aliyun is not installed (${probe.error?.message ?? probe.stderr.trim()}). ${INSTALL_HINT}`);
      scratch = mkdtempSync(join(tmpdir(), 'ossemu-fog-'));
      emulator = await startEmulator({ port: 0, buckets: [BUCKET] });
    } catch (error) {
      setupError = error;
    }
  });

  afterAll(async () => {
    await emulator?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('lists, puts, reads whole and ranged, streams a file, lists with every parameter, uses the models and deletes', async () => {
    if (setupError) throw setupError;
    if (!emulator || !scratch) throw new Error('emulator did not start');
    const proxy = `http://127.0.0.1:${emulator.port}`;
    // No proxy settings from the caller's environment: the scenario names its proxy itself.
    const { NO_PROXY: _a, no_proxy: _b, HTTP_PROXY: _c, http_proxy: _d, ...environment } = process.env;
    const result = await run(
      'ruby',
      [SCENARIO],
      {
        ...environment,
        OSSEMU_PROXY: proxy,
        OSS_ACCESS_KEY_ID: emulator.accessKeyId,
        OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret,
        OSS_BUCKET: BUCKET,
        SCRATCH: scratch,
      },
      120_000,
    );
    const report = describeRun(`fog-aliyun scenario through ${proxy}`, result);
    if (result.code !== 0 || !/^OK$/m.test(result.stdout)) console.error(report);
    expect(result.code, report).toBe(0);
    expect(result.stdout, report).toMatch(/^OK$/m);
  }, 180_000);
});
