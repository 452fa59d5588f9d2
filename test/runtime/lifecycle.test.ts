import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { OssClient } from '../../client/index.js';
import { isUserMount } from '../../emulator/container.js';
import { startEmulator } from '../../emulator/index.js';
import vitestSetup from '../../emulator/testing/vitest-setup.js';
import { startChildEmulator } from '../support/child-emulator.js';
import { append, signedRequest } from '../support/signed-request.js';
import { storedBytes } from '../support/stored-bytes.js';

const ROOT = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'ossemu-lifecycle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Handles that keep the event loop alive: sockets, servers, timers (not the test runner's own). */
const activeHandles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

test('starting and closing 100 emulators in one process leaks no handles or memory', async () => {
  const cycle = async (): Promise<void> => {
    const emulator = await startEmulator({ buckets: ['leak-check'] });
    const client = new OssClient({ endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, region: emulator.region });
    expect((await client.appendObject('leak-check', 'k', 0, Buffer.alloc(64 * 1024))).status).toBe(200);
    client.destroy();
    await emulator.close();
  };
  for (let i = 0; i < 10; i++) await cycle(); // warm up caches and lazily loaded modules
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const handlesBefore = activeHandles();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) await cycle();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  expect(activeHandles()).toBeLessThanOrEqual(handlesBefore);
  const growth = process.memoryUsage().heapUsed - heapBefore;
  expect(growth).toBeLessThan(10 * 1024 * 1024);
});

test('SIGTERM during an in-flight large append: the append completes, the process exits 0', async () => {
  const dataDir = join(scratch, 'sigterm-completes');
  const emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', 'drain']);
  const slice = Buffer.alloc(1024 * 1024, 0x62);
  let signalled = false;
  const body = (async function* () {
    for (let i = 0; i < 32; i++) {
      if (i === 8) {
        emulator.process.kill('SIGTERM');
        signalled = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      yield slice;
    }
  })();
  const response = await signedRequest(emulator.endpoint, {
    method: 'POST',
    bucket: 'drain',
    key: 'big.bin',
    query: [['append', null], ['position', '0']],
    headers: { 'content-length': String(32 * slice.length) },
    body,
  });
  expect(signalled).toBe(true);
  expect(response.status).toBe(200);
  expect(response.headers['x-oss-next-append-position']).toBe(String(32 * slice.length));
  expect(await emulator.exited).toEqual({ code: 0, signal: null });
  const db = new Database(join(dataDir, 'ossemu.sqlite'), { readonly: true });
  expect(db.prepare("SELECT size FROM objects WHERE key = 'big.bin'").get()).toEqual({ size: 32 * slice.length });
  db.close();
});

test('SIGTERM with an append that stalls past the shutdown timeout: the connection is cut and nothing is left', async () => {
  const dataDir = join(scratch, 'sigterm-cut');
  const emulator = await startChildEmulator(['--data-dir', dataDir, '--buckets', 'drain', '--shutdown-timeout', '300']);
  expect((await append(emulator.endpoint, 'drain', 'log', 0, Buffer.from('acknowledged'))).status).toBe(200);
  const body = (async function* () {
    yield Buffer.alloc(4 * 1024 * 1024, 0x63);
    emulator.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 3000)); // stall well past the 300 ms bound
    yield Buffer.alloc(1024, 0x63);
  })();
  const outcome = await signedRequest(emulator.endpoint, {
    method: 'POST',
    bucket: 'drain',
    key: 'log',
    query: [['append', null], ['position', '12']],
    headers: { 'content-length': String(4 * 1024 * 1024 + 1024) },
    body,
  }).then((r) => r.status, () => 'cut');
  expect(outcome).toBe('cut');
  expect(await emulator.exited).toEqual({ code: 0, signal: null });
  const restarted = await startChildEmulator(['--data-dir', dataDir]);
  try {
    const got = await signedRequest(restarted.endpoint, { method: 'GET', bucket: 'drain', key: 'log' });
    expect(got.body.toString()).toBe('acknowledged');
  } finally {
    restarted.process.kill('SIGTERM');
    await restarted.exited;
  }
  expect(storedBytes(dataDir)).toEqual({ files: 12, committed: 12, notLive: 0 });
});

test('configured by environment variables alone, with no flags', async () => {
  const emulator = await startChildEmulator(
    [],
    {
      OSSEMU_PORT: '0',
      OSSEMU_HOST: '127.0.0.1',
      OSSEMU_IN_MEMORY: 'true',
      OSSEMU_ACCESS_KEY_ID: 'env-only-id',
      OSSEMU_ACCESS_KEY_SECRET: 'env-only-secret',
      OSSEMU_REGION: 'oss-cn-shenzhen',
      OSSEMU_BUCKETS: 'from-env,second-env',
      OSSEMU_LOG_LEVEL: 'error',
      OSSEMU_BODY_IDLE_TIMEOUT_MS: '45000',
    },
    { onlyGiven: true },
  );
  try {
    const config = await (await fetch(`${emulator.endpoint}/_ossemu/config`)).json();
    expect(config).toMatchObject({ accessKeyId: 'env-only-id', region: 'cn-shenzhen', buckets: ['from-env', 'second-env'], logLevel: 'error', bodyIdleTimeoutMs: 45000 });
    expect(config.dataDir).toBeUndefined();
    const client = new OssClient({ endpoint: emulator.endpoint, accessKeyId: 'env-only-id', accessKeySecret: 'env-only-secret', region: 'cn-shenzhen' });
    expect((await client.appendObject('from-env', 'k', 0, 'x')).status).toBe(200);
    expect((await client.getBucketLocation('from-env')).location).toBe('oss-cn-shenzhen');
    client.destroy();
  } finally {
    emulator.process.kill('SIGTERM');
    expect((await emulator.exited).code).toBe(0);
  }
});

test("the package's own name resolves to the in-process API (import { startEmulator } from 'ossemu')", async () => {
  const script = `
    import { startEmulator } from 'ossemu';
    import { OssClient } from 'ossemu/client';
    const e = await startEmulator({ buckets: ['self-ref'] });
    const c = new OssClient({ endpoint: e.endpoint, accessKeyId: e.accessKeyId, accessKeySecret: e.accessKeySecret, region: e.region });
    const r = await c.appendObject('self-ref', 'k', 0, 'ok');
    c.destroy();
    await e.close();
    console.log(r.status, r.nextPosition);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  expect(stdout.trim()).toBe('200 2');
});

test('the ready-made vitest globalSetup exposes an emulator through OSS_* variables and inject()', async () => {
  const provided: Record<string, unknown> = {};
  const saved = { ...process.env };
  process.env['OSSEMU_BUCKETS'] = 'setup-bucket';
  const teardown = await vitestSetup({ provide: (key, value) => void (provided[key] = value) });
  try {
    expect(process.env['OSS_BUCKET']).toBe('setup-bucket');
    expect(provided['ossemu']).toMatchObject({ OSS_ENDPOINT: process.env['OSS_ENDPOINT'], OSS_BUCKET: 'setup-bucket' });
    const client = new OssClient({ endpoint: process.env['OSS_ENDPOINT']!, accessKeyId: process.env['OSS_ACCESS_KEY_ID']!, accessKeySecret: process.env['OSS_ACCESS_KEY_SECRET']!, region: process.env['OSS_REGION']! });
    expect((await client.appendObject('setup-bucket', 'k', 0, 'x')).status).toBe(200);
    client.destroy();
  } finally {
    await teardown();
    process.env = saved;
  }
});

test('the container image uses /data only when the user mounted it', () => {
  const line = (root: string, mountPoint: string): string => `1234 1200 8:1 ${root} ${mountPoint} rw,relatime - ext4 /dev/sda1 rw`;
  const anonymous = line(`/var/lib/docker/volumes/${'ab12'.repeat(16)}/_data`, '/data');
  const named = line('/var/lib/docker/volumes/ossemu-data/_data', '/data');
  const bind = line('/home/me/ossemu-data', '/data');
  expect(isUserMount([line('/', '/'), anonymous].join('\n'), '/data')).toBe(false);
  expect(isUserMount([line('/', '/'), named].join('\n'), '/data')).toBe(true);
  expect(isUserMount([line('/', '/'), bind].join('\n'), '/data')).toBe(true);
  expect(isUserMount(line('/', '/'), '/data')).toBe(false);
});
