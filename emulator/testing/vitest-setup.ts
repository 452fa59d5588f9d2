import { startEmulator, type RunningEmulator } from '../index.js';

/**
 * A ready-made vitest `globalSetup`: starts one in-memory emulator for the whole run and exposes
 * it to the tests through the variables the official SDK samples read, so test code needs no
 * ossemu import at all:
 *   OSS_ENDPOINT, OSS_REGION, OSS_BUCKET, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET
 * The bucket is `OSSEMU_BUCKETS` (comma-separated; the first is OSS_BUCKET), default `test-bucket`.
 * Also provided as `inject('ossemu')` for vitest's typed provide/inject.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['ossemu/vitest'] } });
 */
export default async function setup(project?: { provide?: (key: string, value: unknown) => void }): Promise<() => Promise<void>> {
  const buckets = (process.env['OSSEMU_BUCKETS'] ?? 'test-bucket').split(',').map((b) => b.trim()).filter((b) => b !== '');
  const emulator: RunningEmulator = await startEmulator({ buckets });
  const variables = {
    OSS_ENDPOINT: emulator.endpoint,
    OSS_REGION: emulator.region,
    OSS_BUCKET: buckets[0] ?? '',
    OSS_ACCESS_KEY_ID: emulator.accessKeyId,
    OSS_ACCESS_KEY_SECRET: emulator.accessKeySecret,
  };
  Object.assign(process.env, variables);
  project?.provide?.('ossemu', variables);
  return () => emulator.close();
}
