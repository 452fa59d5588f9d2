import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OSS from 'ali-oss';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../conformance/types.js';

/**
 * There is no Docker engine on our machines, so the image cannot be built here. Instead these
 * tests check the compose file with docker-compose itself, then run the image's exact command,
 * environment and HEALTHCHECK (from the Dockerfile) outside a container.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'ossemu-container-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface ImageSpec {
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
}

/** The final stage of the Dockerfile: its ENV, CMD and HEALTHCHECK (exec forms). */
function readDockerfile(): ImageSpec {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const lines = text.split('\n').map((l) => l.trim());
  const finalStage = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
  const env: Record<string, string> = {};
  for (const line of finalStage.filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[name!] = value!;
  }
  const json = (prefix: RegExp): string[] => {
    const line = finalStage.find((l) => prefix.test(l));
    if (!line) throw new Error(`Dockerfile has no ${prefix}`);
    return JSON.parse(line.slice(line.indexOf('['))) as string[];
  };
  return { env, cmd: json(/^CMD /), healthcheck: json(/^HEALTHCHECK .*CMD /) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs an exec-form command from the image with `node` being this Node, in the repo (= /app). */
function imageCommand(argv: string[], env: Record<string, string>): ReturnType<typeof spawn> {
  const [program, ...args] = argv;
  expect(program).toBe('node');
  return spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: scratch, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function exitCode(argv: string[], env: Record<string, string>): Promise<number | null> {
  const child = imageCommand(argv, env);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('docker-compose.yml is valid for docker-compose', async () => {
  const { stdout } = await run('docker-compose', ['config'], { cwd: ROOT }).catch((error: Error) => {
    throw new Error(`docker-compose config failed (.ci/run installs Debian's docker-compose): ${error.message}`);
  });
  const config = parseYaml(stdout) as { services: Record<string, { healthcheck?: unknown; depends_on?: unknown; volumes?: unknown[] }> };
  expect(Object.keys(config.services).sort()).toEqual(['conformance', 'ossemu']);
  expect(config.services['ossemu']!.healthcheck).toBeDefined();
  expect(config.services['conformance']!.depends_on).toMatchObject({ ossemu: { condition: 'service_healthy' } });
});

describe("the image's command, environment and HEALTHCHECK, outside a container", () => {
  const image = readDockerfile();
  const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: { ossemu: { environment: Record<string, string> }; conformance: { command: string[]; environment: Record<string, string> } };
  };
  let port: number;
  let env: Record<string, string>;
  let emulator: ReturnType<typeof spawn>;
  let output = '';

  beforeAll(async () => {
    port = await freePort();
    // The image's environment plus the compose service's, as compose runs it; only the port moves
    // off 8080, which may be taken here.
    env = { ...image.env, ...compose.services.ossemu.environment, OSSEMU_PORT: String(port) };
    emulator = imageCommand(image.cmd, env);
    emulator.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    emulator.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 15_000;
    while ((await exitCode(image.healthcheck, env)) !== 0) {
      if (Date.now() > deadline) throw new Error(`not healthy within 15 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    emulator.kill('SIGTERM');
    await new Promise((resolve) => emulator.once('exit', resolve));
  });

  test('starts with no arguments, listens on all interfaces, in memory', async () => {
    expect(image.cmd).toEqual(['node', 'bin/ossemu.js']);
    expect(image.env).toMatchObject({ OSSEMU_HOST: '0.0.0.0', OSSEMU_CONTAINER: '1' });
    const config = await (await fetch(`http://127.0.0.1:${port}/_ossemu/config`)).json();
    expect(config).toMatchObject({ host: '0.0.0.0', port });
    expect(config.dataDir).toBeUndefined();
  });

  test('serves the SDK scenario: create a bucket, append, resume from HEAD', async () => {
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new OSS({ endpoint, accessKeyId: 'ossemu-access-key-id', accessKeySecret: 'ossemu-access-key-secret', bucket: 'from-image' });
    await client.putBucket('from-image');
    const first = await client.append('app.log', Buffer.from('line 1\n'));
    const head = await client.head('app.log');
    const position = (head.res.headers as Record<string, string>)['x-oss-next-append-position'];
    expect(position).toBe(first.nextAppendPosition);
    await client.append('app.log', Buffer.from('line 2\n'), { position });
    expect((await client.get('app.log')).content.toString()).toBe('line 1\nline 2\n');
  });

  test("the compose file's conformance service passes against it (path addressing, by host name)", async () => {
    const service = compose.services.conformance;
    const reportDir = mkdtempSync(join(scratch, 'reports-'));
    const command = service.command.map((arg) => (arg === '/tmp' ? reportDir : arg));
    // The service reaches the emulator as http://ossemu:8080; here the same name-based, path-style route is localhost.
    const code = await exitCode(command, { ...service.environment, OSS_ENDPOINT: `http://localhost:${port}` });
    const report = JSON.parse(readFileSync(join(reportDir, 'conformance-report.json'), 'utf8')) as Report;
    expect(report.cases.filter((c) => c.status === 'fail')).toEqual([]);
    // Only bucket creation is left out (OSS_ALLOW_BUCKET_OPS); the RAM user compose defines runs the permission cases.
    expect([...new Set(report.cases.filter((c) => c.status === 'skip').map((c) => c.id))]).toEqual(['bucket.lifecycle', 'bucket.cors', 'bucket.configurations', 'bucket.worm-in-progress', 'versioning.delete-marker', 'versioning.append']);
    expect(report.cases.filter((c) => c.id.startsWith('access.') && c.status === 'pass')).toHaveLength(6);
    expect(code).toBe(0);
  });

  test('the HEALTHCHECK command reports a dead emulator as unhealthy', async () => {
    expect(await exitCode(image.healthcheck, { ...env, OSSEMU_PORT: String(await freePort()) })).toBe(1);
  });
});
