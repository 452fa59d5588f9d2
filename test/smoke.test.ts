import { afterAll, beforeAll, expect, test } from 'vitest';
import OSS from 'ali-oss';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ buckets: ['smoke'] });
});
afterAll(() => emu.close());

test('ali-oss append + head', async () => {
  const client = new OSS({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret, bucket: 'smoke' });
  const r1 = await client.append('a.txt', Buffer.from('foo'));
  expect(r1.nextAppendPosition).toBe('3');
  const r2 = await client.append('a.txt', Buffer.from('bar'), { position: r1.nextAppendPosition });
  expect(r2.nextAppendPosition).toBe('6');
  const head = await client.head('a.txt');
  expect(head.res.headers['x-oss-object-type']).toBe('Appendable');
  const got = await client.get('a.txt');
  expect(got.content.toString()).toBe('foobar');
  await expect(client.append('a.txt', Buffer.from('x'), { position: 0 })).rejects.toMatchObject({ code: 'PositionNotEqualToLength', status: 409 });
});
