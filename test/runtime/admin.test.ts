import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { OssClient } from '../../client/index.js';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../emulator/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'ossemu-admin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function start(options: StartOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  running.push(emulator);
  return emulator;
}

const basic = (e: RunningEmulator): string => `Basic ${Buffer.from(`${e.accessKeyId}:${e.accessKeySecret}`).toString('base64')}`;
const admin = (e: RunningEmulator, path: string, init: RequestInit = {}): Promise<Response> => fetch(`${e.endpoint}/_ossemu/${path}`, init);
const client = (e: RunningEmulator): OssClient => new OssClient({ endpoint: e.endpoint, accessKeyId: e.accessKeyId, accessKeySecret: e.accessKeySecret, region: e.region });

describe('GET /_ossemu/health', () => {
  test('200 with status, version, uptime, storage mode and counts', async () => {
    const e = await start({ buckets: ['one', 'two'] });
    await client(e).putObject('one', 'k', 'x');
    const res = await admin(e, 'health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), uptimeSeconds: expect.any(Number), storage: { mode: 'memory' }, buckets: 2, objects: 1 });
  });

  const onDisk = async (name: string): Promise<{ e: RunningEmulator; file: string }> => {
    const dataDir = join(scratch, name);
    const e = await start({ dataDir });
    expect((await admin(e, 'health')).status).toBe(200);
    return { e, file: join(dataDir, 'ossemu.sqlite') };
  };

  test('503 when the database file is made unreadable', async () => {
    const { e, file } = await onDisk('unreadable');
    chmodSync(file, 0o000);
    try {
      const res = await admin(e, 'health');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('not readable and writable') });
    } finally {
      chmodSync(file, 0o644);
    }
    expect((await admin(e, 'health')).status).toBe(200);
  });

  test('503 when the database file is deleted or replaced', async () => {
    const { e, file } = await onDisk('deleted');
    unlinkSync(file);
    expect((await admin(e, 'health')).status).toBe(503);
    writeFileSync(file, 'not a database');
    const res = await admin(e, 'health');
    expect(res.status).toBe(503);
    expect((await res.json()).reason).toContain('replaced');
  });

  test('503 when the database file is overwritten with garbage', async () => {
    const { e, file } = await onDisk('corrupt');
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('garbage garbage!'), 0, 16, 0);
    closeSync(fd);
    const res = await admin(e, 'health');
    expect(res.status).toBe(503);
    expect((await res.json()).reason).toContain('not an SQLite database');
  });
});

describe('configured buckets', () => {
  test('a name OSS would refuse (too short, upper case) stops the start with a message instead of making an unusable bucket', async () => {
    await expect(start({ buckets: ['ok-bucket', 'b1'] })).rejects.toThrow('"b1" is not a valid bucket name');
    await expect(start({ buckets: ['Upper'] })).rejects.toThrow('"Upper" is not a valid bucket name');
  });
});

describe('POST /_ossemu/reset', () => {
  test('drops every bucket and object, then re-creates the configured buckets', async () => {
    const e = await start({ buckets: ['kept'] });
    const oss = client(e);
    await oss.putBucket('extra');
    await oss.putObject('kept', 'a', 'x');
    await oss.appendObject('extra', 'b', 0, 'y');
    const res = await admin(e, 'reset', { method: 'POST', headers: { authorization: basic(e) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'reset', bucket: null, buckets: 1, objects: 0 });
    const buckets = await oss.listBuckets();
    expect((buckets.buckets ?? []).map((b) => b.name)).toEqual(['kept']);
    expect((await oss.listObjects('kept')).contents).toEqual([]);
  });

  test('?bucket= drops one bucket and leaves the others', async () => {
    const e = await start({ buckets: ['first', 'second'] });
    const oss = client(e);
    await oss.putObject('first', 'a', 'x');
    await oss.putObject('second', 'b', 'y');
    const res = await admin(e, 'reset?bucket=first', { method: 'POST', headers: { authorization: basic(e) } });
    expect(res.status).toBe(200);
    expect((await oss.listObjects('first')).contents).toEqual([]);
    expect((await oss.listObjects('second')).contents?.map((o) => o.key)).toEqual(['b']);
    expect((await admin(e, 'reset?bucket=nope', { method: 'POST', headers: { authorization: basic(e) } })).status).toBe(404);
  });

  test('two ?bucket= parameters are 400 and reset nothing (they once reset every bucket)', async () => {
    const e = await start({ buckets: ['first', 'second'] });
    const oss = client(e);
    await oss.putObject('first', 'a', 'x');
    const res = await admin(e, 'reset?bucket=first&bucket=second', { method: 'POST', headers: { authorization: basic(e) } });
    expect(res.status).toBe(400);
    expect((await oss.listObjects('first')).contents?.map((o) => o.key)).toEqual(['a']);
  });
});

/** Sends `text` on a fresh connection and returns the status line of the answer. */
function rawStatusLine(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('the admin surface and odd requests', () => {
  test('a reset whose absolute-form target Koa cannot parse is refused, not a 500', async () => {
    const e = await start({ buckets: ['kept'], auth: 'off' });
    const line = await rawStatusLine(e.port, 'POST http://[::1/_ossemu/reset?bucket=kept HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(line).toMatch(/^HTTP\/1\.1 [24]\d\d /);
  });

  test('a seed body in a transfer coding other than chunked is 501 at once, not a 60 s stall', async () => {
    const e = await start({ auth: 'off' });
    const line = await rawStatusLine(e.port, 'POST /_ossemu/seed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}');
    expect(line).toBe('HTTP/1.1 501 Not Implemented');
  });
});

describe('the admin surface and virtual-host buckets', () => {
  test("on a bucket's virtual host, /_ossemu/… is an object key: an append there is an append, not a reset", async () => {
    const e = await start({ buckets: ['vhost'], auth: 'off' });
    const oss = client(e);
    await oss.putObject('vhost', 'kept', 'x');
    // fetch does not let a caller set Host; node:http does, as ali-oss with an IP endpoint does.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: e.port, method: 'POST', path: '/_ossemu/reset?append&position=0', headers: { host: 'vhost.oss-cn-hangzhou.aliyuncs.com' } }, resolve);
      req.on('error', reject);
      req.end('appended');
    });
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-oss-next-append-position']).toBe('8');
    expect((await oss.listObjects('vhost')).contents?.map((o) => o.key).sort()).toEqual(['_ossemu/reset', 'kept']);
    // On the emulator's own address the admin surface answers as before.
    expect((await admin(e, 'health')).status).toBe(200);
  });
});

describe('admin authentication', () => {
  test('reset and seed need the admin token or the key pair; health and config do not', async () => {
    const e = await start({ buckets: ['bkt'], adminToken: 'let-me-in' });
    const seed = JSON.stringify({ buckets: [{ name: 'bkt', objects: [{ key: 'k', content: 'v' }] }] });
    for (const path of ['reset', 'seed']) {
      expect((await admin(e, path, { method: 'POST', body: seed })).status).toBe(401);
      expect((await admin(e, path, { method: 'POST', body: seed, headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await admin(e, path, { method: 'POST', body: seed, headers: { authorization: 'Basic ' + Buffer.from('x:y').toString('base64') } })).status).toBe(401);
      expect((await admin(e, path, { method: 'POST', body: seed, headers: { authorization: 'Bearer let-me-in' } })).status).toBe(200);
      expect((await admin(e, path, { method: 'POST', body: seed, headers: { authorization: basic(e) } })).status).toBe(200);
    }
    expect((await admin(e, 'health')).status).toBe(200);
    expect((await admin(e, 'config')).status).toBe(200);
  });

  test('with auth off the admin endpoints are open', async () => {
    const e = await start({ auth: 'off' });
    expect((await admin(e, 'reset', { method: 'POST' })).status).toBe(200);
  });

  test('GET /_ossemu/config shows the effective configuration with secrets masked', async () => {
    const e = await start({ accessKeySecret: 'a-very-secret-secret', adminToken: 'token-token', region: 'cn-beijing' });
    const config = await (await admin(e, 'config')).json();
    expect(config).toMatchObject({ region: 'cn-beijing', accessKeyId: e.accessKeyId, accessKeySecret: 'a-****et', adminToken: 'to****en' });
    expect(JSON.stringify(config)).not.toContain('a-very-secret-secret');
  });
});

describe('seeding', () => {
  test('a JSON body that is not an object is 400, not a crash', async () => {
    const e = await start();
    for (const body of ['null', '[]', '5']) {
      const res = await admin(e, 'seed', { method: 'POST', body, headers: { authorization: basic(e) } });
      expect(res.status).toBe(400);
    }
  });

  test('--seed-dir: each folder a bucket, each file a Normal object, sidecars give metadata', async () => {
    const dir = join(scratch, 'seed');
    mkdirSync(join(dir, 'photos', '2024'), { recursive: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'photos', '2024', 'cat.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00]));
    writeFileSync(join(dir, 'photos', '2024', 'cat.jpg.ossemu.json'), JSON.stringify({ contentType: 'image/jpeg', meta: { Author: 'ada' }, tags: { kind: 'pet' }, acl: 'public-read' }));
    writeFileSync(join(dir, 'logs', 'a b.log'), 'line\n');
    writeFileSync(join(dir, 'not-a-bucket.txt'), 'ignored: files at the top level are not in a bucket');
    const e = await start({ seedDir: dir });
    const oss = client(e);
    expect((await oss.listBuckets()).buckets?.map((b) => b.name)).toEqual(['logs', 'photos']);
    const cat = await oss.getObject('photos', '2024/cat.jpg');
    expect(cat.status).toBe(200);
    expect([...cat.body]).toEqual([0xff, 0xd8, 0xff, 0x00]);
    expect(cat.headers).toMatchObject({ 'content-type': 'image/jpeg', 'x-oss-meta-author': 'ada', 'x-oss-object-type': 'Normal', 'x-oss-tagging-count': '1' });
    expect((await oss.getObjectAcl('photos', '2024/cat.jpg')).acl).toBe('public-read');
    expect((await oss.listObjects('photos')).contents?.map((o) => o.key)).toEqual(['2024/cat.jpg']);
    expect((await oss.getObject('logs', 'a b.log')).body.toString()).toBe('line\n');
  });

  test('POST /_ossemu/seed takes a JSON document or a folder inside --seed-dir, and reports bad input as 400', async () => {
    const root = join(scratch, 'seed-root');
    mkdirSync(join(root, 'later', 'from-folder'), { recursive: true });
    const e = await start({ auth: 'off', seedDir: root });
    const post = (body: unknown): Promise<Response> => admin(e, 'seed', { method: 'POST', body: JSON.stringify(body) });
    const res = await post({ buckets: [{ name: 'docs', acl: 'public-read', objects: [{ key: 'readme.md', content: '# hi', contentType: 'text/markdown' }, { key: 'bin', contentBase64: 'AAEC' }] }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'seeded', buckets: 1, objects: 2 });
    const oss = client(e);
    expect((await oss.getObject('docs', 'readme.md')).headers['content-type']).toBe('text/markdown');
    expect([...(await oss.getObject('docs', 'bin')).body]).toEqual([0, 1, 2]);
    // Base64 as tools write it: wrapped, URL-safe, unpadded.
    const forms = [{ key: 'wrapped', contentBase64: 'AA\nEC\n' }, { key: 'url-safe', contentBase64: '-_8=' }, { key: 'unpadded', contentBase64: 'AAE' }];
    expect((await post({ buckets: [{ name: 'docs', objects: forms }] })).status).toBe(200);
    expect([...(await oss.getObject('docs', 'wrapped')).body]).toEqual([0, 1, 2]);
    expect([...(await oss.getObject('docs', 'url-safe')).body]).toEqual([0xfb, 0xff]);
    expect([...(await oss.getObject('docs', 'unpadded')).body]).toEqual([0, 1]);
    writeFileSync(join(root, 'later', 'from-folder', 'f.txt'), 'folder');
    expect((await post({ directory: join(root, 'later') })).status).toBe(200);
    expect((await oss.getObject('from-folder', 'f.txt')).body.toString()).toBe('folder');
    expect((await post({ directory: join(root, 'missing') })).status).toBe(400);
    expect((await post({ directory: scratch })).status).toBe(403);
    expect((await post({ directory: join(root, '..', '..') })).status).toBe(403);
    expect((await post({ buckets: [{ name: 'Bad_Name' }] })).status).toBe(400);
    expect((await post({ buckets: [{ name: 'docs', objects: 'not-a-list' }] })).status).toBe(400);
    expect((await post({ buckets: [{ name: 'docs', objects: [{ key: 'k', meta: { 'bad name': 'x' } }] }] })).status).toBe(400);
    expect((await post({ buckets: [{ name: 'docs', objects: [{ key: 'k', acl: 'everyone' }] }] })).status).toBe(400);
    expect((await admin(e, 'seed', { method: 'POST', body: '{not json' })).status).toBe(400);
  });

  test('a seed document with a wrongly typed field is 400 (these were 500s) and writes nothing, not even its good objects', async () => {
    const e = await start({ auth: 'off' });
    const post = (objects: unknown[]): Promise<Response> => admin(e, 'seed', { method: 'POST', body: JSON.stringify({ buckets: [{ name: 'typed', objects }] }) });
    const good = { key: 'good', content: 'fine' };
    for (const bad of [{ content: 'no key' }, { key: '', content: 'x' }, { key: 'k', contentBase64: '!!!' }, { key: 'k', contentBase64: 'AAECA' }, { key: 'k', content: 123 }, { key: 'k', contentBase64: 123 }, null, { key: 'k', tags: 'a=b' }, { key: 'k', meta: { a: { nested: 1 } } }, { key: 'k', contentType: ['text/plain'] }]) {
      const res = await post([good, bad]);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/object 1|typed\/k/);
    }
    expect((await client(e).listBuckets()).buckets ?? []).toEqual([]);
  });

  test('seeded metadata in any script round-trips as UTF-8, like metadata sent by an SDK', async () => {
    const e = await start({ auth: 'off' });
    const res = await admin(e, 'seed', { method: 'POST', body: JSON.stringify({ buckets: [{ name: 'intl', objects: [{ key: 'k', content: 'x', meta: { city: '東京' } }] }] }) });
    expect(res.status).toBe(200);
    const head = await client(e).headObject('intl', 'k');
    expect(head.status).toBe(200);
    expect(Buffer.from(head.headers['x-oss-meta-city']!, 'latin1').toString('utf8')).toBe('東京');
  });
});

describe('RAM users: GET and PUT /_ossemu/ram-users', () => {
  const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:bkt/*' }] };
  const as = (e: RunningEmulator, accessKeyId: string, accessKeySecret: string): OssClient =>
    new OssClient({ endpoint: e.endpoint, accessKeyId, accessKeySecret, region: e.region });
  const put = (e: RunningEmulator, body: string, authorization = basic(e)): Promise<Response> =>
    admin(e, 'ram-users', { method: 'PUT', body, headers: { authorization } });

  test('PUT replaces every user at once; the keys work (or stop working) at once; GET lists them, secrets masked', async () => {
    const e = await start({ buckets: ['bkt'], ramUsers: [{ name: 'old', accessKeyId: 'old-key', accessKeySecret: 'old-secret' }] });
    const res = await put(e, JSON.stringify([{ name: 'uploader', accessKeyId: 'up-key', accessKeySecret: 'up-secret', policy }]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ name: 'uploader', id: expect.stringMatching(/^\d{18}$/), accessKeyId: 'up-key', accessKeySecret: 'up****et', policies: [policy] }]);
    expect((await as(e, 'up-key', 'up-secret').putObject('bkt', 'k', 'x')).status).toBe(200);
    expect((await as(e, 'up-key', 'up-secret').getObject('bkt', 'k')).error?.code).toBe('AccessDenied');
    expect((await as(e, 'old-key', 'old-secret').putObject('bkt', 'k', 'x')).error?.code).toBe('InvalidAccessKeyId');
    const listed = await admin(e, 'ram-users');
    expect((await listed.json()) as unknown[]).toHaveLength(1);
    expect((await put(e, '[]')).status).toBe(200);
    expect((await as(e, 'up-key', 'up-secret').putObject('bkt', 'k', 'x')).error?.code).toBe('InvalidAccessKeyId');
  });

  test('a bad list is 400 with the reason, and the users stay as they were', async () => {
    const e = await start({ ramUsers: [{ name: 'kept', accessKeyId: 'kept-key', accessKeySecret: 'kept-secret' }] });
    for (const [body, reason] of [
      ['not json', 'the body must be a JSON list of RAM users'],
      ['[{"name":"x","accessKeyId":"k"}]', '"accessKeySecret" must be a non-empty string'],
      [JSON.stringify([{ name: 'x', accessKeyId: e.accessKeyId, accessKeySecret: 's' }]), 'already in use'],
      [JSON.stringify([{ name: 'x', accessKeyId: 'k', accessKeySecret: 's', policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Maybe: {} } }] } }]), 'unknown condition operator'],
    ]) {
      const res = await put(e, body!);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(reason);
    }
    expect(((await (await admin(e, 'ram-users')).json()) as Array<{ name: string }>).map((u) => u.name)).toEqual(['kept']);
  });

  test('PUT needs admin credentials; a RAM user\'s key pair is not one', async () => {
    const e = await start({ ramUsers: [{ name: 'u', accessKeyId: 'u-key', accessKeySecret: 'u-secret' }] });
    expect((await put(e, '[]', '')).status).toBe(401);
    expect((await put(e, '[]', `Basic ${Buffer.from('u-key:u-secret').toString('base64')}`)).status).toBe(401);
    expect(((await (await admin(e, 'ram-users')).json()) as unknown[]).length).toBe(1);
  });
});

describe('logs', () => {
  const collect = (): { lines: string[]; destination: { write: (line: string) => void } } => {
    const lines: string[] = [];
    return { lines, destination: { write: (line) => void lines.push(...line.split('\n').filter((l) => l !== '')) } };
  };

  test('one JSON line per request, for a success and for an error', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['logged'], logLevel: 'info', logFormat: 'json', logDestination: destination });
    const oss = client(e);
    const ok = await oss.appendObject('logged', 'dir/k.log', 0, 'hello');
    const bad = await oss.appendObject('logged', 'dir/k.log', 0, 'again');
    const records = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === 'request');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ method: 'POST', bucket: 'logged', key: 'dir/k.log', operation: 'AppendObject', status: 200, bytesIn: 5, requestId: ok.requestId, ms: expect.any(Number) });
    expect(records[0].errorCode).toBeUndefined();
    expect(records[1]).toMatchObject({ operation: 'AppendObject', status: 409, errorCode: 'PositionNotEqualToLength', requestId: bad.requestId });
  });

  test('text format: a readable line per request', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['logged'], logLevel: 'info', logFormat: 'text', logDestination: destination });
    const head = await client(e).headObject('logged', 'missing');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ HEAD logged/missing HeadObject 404 NoSuchKey in=0 out=\\d+ [\\d.]+ms ${head.requestId}$`));
  });

  test('a chunked body that breaks off is logged with the 400 InvalidRequest it was answered, not as the app saw it', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['logged'], auth: 'off', logLevel: 'info', logFormat: 'json', logDestination: destination });
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(e.port, '127.0.0.1', () => socket.write('PUT /logged/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    // The app's handler fails once the connection has closed, then logs.
    const requests = () => lines.map((l) => JSON.parse(l)).filter((r) => r.msg === 'request');
    for (const until = Date.now() + 5_000; requests().length === 0 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 10));
    const records = requests();
    expect(records).toHaveLength(1);
    // With the request id of the answer the client got, not of the one the app never sent.
    expect(records[0]).toMatchObject({ method: 'PUT', operation: 'PutObject', status: 400, errorCode: 'InvalidRequest', cause: 'HPE_INVALID_CHUNK_SIZE', requestId: /\r\nx-oss-request-id: (\w+)\r\n/.exec(answer)?.[1] });
  });

  /** Sends raw bytes on a new connection; resolves with everything answered once the server closes it. */
  const exchange = (port: number, bytes: Buffer | string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
  const requestIdOf = (answer: string): string | undefined => /\r\nx-oss-request-id: (\w+)\r\n/.exec(answer)?.[1];

  test('requests Node refuses before the app sees them are logged too, with what the parser found wrong', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['logged'], auth: 'off', logLevel: 'info', logFormat: 'json', logDestination: destination });
    // Raw UTF-8 in the request line (Fog's Aliyun provider sends keys unescaped): Node's parser refuses it.
    const raw = await exchange(e.port, Buffer.from('PUT /logged/ün.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi', 'utf8'));
    expect(raw).toMatch(/^HTTP\/1\.1 400 [^]*\(HPE_INVALID_URL\)/);
    const garbage = await exchange(e.port, 'not http at all\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    const tunnel = await exchange(e.port, 'CONNECT logged.oss-cn-hangzhou.aliyuncs.com:443 HTTP/1.1\r\nHost: logged.oss-cn-hangzhou.aliyuncs.com:443\r\n\r\n');
    expect(tunnel).toMatch(/^HTTP\/1\.1 400 /);
    // In one packet after a good request: the line logged is the refused one's.
    const pipelined = await exchange(e.port, Buffer.from('GET /_ossemu/health HTTP/1.1\r\nHost: x\r\n\r\nGET /logged/é HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8'));
    expect(pipelined.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 400']);
    const records = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === 'request');
    expect(records).toHaveLength(5);
    expect(records[3]).toMatchObject({ method: 'GET', path: '/_ossemu/health', status: 200 });
    expect(records[4]).toMatchObject({ method: 'GET', path: '/logged/é', status: 400, cause: 'HPE_INVALID_URL' });
    expect(records[0]).toMatchObject({ requestId: requestIdOf(raw), method: 'PUT', path: '/logged/ün.txt', status: 400, errorCode: 'InvalidRequest', cause: 'HPE_INVALID_URL', bytesIn: 0 });
    expect(records[0].bytesOut).toBe(Buffer.byteLength(raw, 'latin1'));
    expect(records[1]).toMatchObject({ requestId: requestIdOf(garbage), status: 400, errorCode: 'InvalidRequest', cause: expect.stringMatching(/^HPE_/) });
    expect(records[1].method).toBeUndefined();
    expect(records[2]).toMatchObject({ requestId: requestIdOf(tunnel), method: 'CONNECT', path: 'logged.oss-cn-hangzhou.aliyuncs.com:443', status: 400, errorCode: 'InvalidRequest' });
  });

  test('text format: a refused request shows the parser\'s reason after the error code', async () => {
    const { lines, destination } = collect();
    const e = await start({ logLevel: 'info', logFormat: 'text', logDestination: destination });
    const answer = await exchange(e.port, Buffer.from('GET /b/ü HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8'));
    await exchange(e.port, 'not http at all\r\n\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ GET /b/ü - 400 InvalidRequest \\(HPE_INVALID_URL\\) in=0 out=\\d+ 0ms ${requestIdOf(answer)}$`));
    expect(lines[1]).toMatch(/^\S+ - - - 400 InvalidRequest \(HPE_\w+\) in=0 out=\d+ 0ms [0-9A-F]{24}$/);
  });

  test('text format: admin endpoints and ListBuckets show their path', async () => {
    const { lines, destination } = collect();
    const e = await start({ logLevel: 'info', logFormat: 'text', logDestination: destination });
    expect((await fetch(`${e.endpoint}/_ossemu/health`)).status).toBe(200);
    const list = await client(e).listBuckets();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+ GET \/_ossemu\/health Admin 200 in=0 out=\d+ [\d.]+ms [0-9A-F]{24}$/);
    expect(lines[1]).toMatch(new RegExp(`^\\S+ GET / ListBuckets 200 in=0 out=\\d+ [\\d.]+ms ${list.requestId}$`));
  });

  test('at debug, a rejected signature logs the canonical request and string to sign the server computed', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['logged'], logLevel: 'debug', logFormat: 'json', logDestination: destination });
    const wrong = new OssClient({ endpoint: e.endpoint, accessKeyId: e.accessKeyId, accessKeySecret: 'wrong', region: e.region, signatureVersion: 'v4' });
    expect((await wrong.headObject('logged', 'k')).status).toBe(403);
    const mismatch = lines.map((l) => JSON.parse(l)).find((r) => r.msg === 'signature mismatch');
    expect(mismatch.canonicalRequest).toContain('HEAD\n/logged/k\n');
    expect(mismatch.stringToSign).toMatch(/^OSS4-HMAC-SHA256\n/);
    wrong.destroy();
  });

  test('silent by default in-process', async () => {
    const { lines, destination } = collect();
    const e = await start({ buckets: ['quiet'], logDestination: destination });
    await client(e).headObject('quiet', 'k');
    expect(lines).toEqual([]);
  });
});
