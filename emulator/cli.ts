import { parseArgs } from 'node:util';
import { describeRamUser, readRamUsersOption } from './access/ram-users.js';
import { DEFAULT_CONFIG, type EmulatorConfig } from './config.js';
import { containerDataDir } from './container.js';
import { startEmulator, VERSION, type RunningEmulator } from './index.js';
import { manageBodyMemory } from './util/body-memory.js';

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Where `npm start` keeps its database unless told otherwise. */
export const DEFAULT_DATA_DIR = './.ossemu';

/** Every flag and its environment twin. */
const OPTIONS = {
  host: { type: 'string', env: 'OSSEMU_HOST', help: 'address to listen on', default: DEFAULT_CONFIG.host },
  port: { type: 'string', env: 'OSSEMU_PORT', help: 'port to listen on (0 = any free port)', default: String(DEFAULT_CONFIG.port) },
  'data-dir': { type: 'string', env: 'OSSEMU_DATA_DIR', help: 'folder of the SQLite database', default: DEFAULT_DATA_DIR },
  'in-memory': { type: 'boolean', env: 'OSSEMU_IN_MEMORY', help: 'keep everything in memory (nothing written to disk)', default: 'false' },
  sync: { type: 'string', env: 'OSSEMU_SYNC', help: 'normal (survives process crashes) or full (also power loss)', default: DEFAULT_CONFIG.sync },
  'access-key-id': { type: 'string', env: 'OSSEMU_ACCESS_KEY_ID', help: 'the account\'s AccessKey ID', default: DEFAULT_CONFIG.accessKeyId },
  'access-key-secret': { type: 'string', env: 'OSSEMU_ACCESS_KEY_SECRET', help: 'the account\'s AccessKey secret', default: DEFAULT_CONFIG.accessKeySecret },
  region: { type: 'string', env: 'OSSEMU_REGION', help: 'region id, e.g. cn-hangzhou', default: DEFAULT_CONFIG.region },
  auth: { type: 'string', env: 'OSSEMU_AUTH', help: 'on: verify signatures; off: accept any request as the owner', default: DEFAULT_CONFIG.auth },
  'ram-users': { type: 'string', env: 'OSSEMU_RAM_USERS', help: 'RAM users and their policies: JSON, or a path to a JSON file', default: '' },
  buckets: { type: 'string', env: 'OSSEMU_BUCKETS', help: 'comma-separated buckets to create at start', default: '' },
  'log-level': { type: 'string', env: 'OSSEMU_LOG_LEVEL', help: 'silent | error | warn | info | debug', default: 'info' },
  'log-format': { type: 'string', env: 'OSSEMU_LOG_FORMAT', help: 'text | json', default: DEFAULT_CONFIG.logFormat },
  'admin-token': { type: 'string', env: 'OSSEMU_ADMIN_TOKEN', help: 'bearer token for /_ossemu/reset and /_ossemu/seed', default: '' },
  'seed-dir': { type: 'string', env: 'OSSEMU_SEED_DIR', help: 'folder to seed at start: sub-folders are buckets, files objects', default: '' },
  'shutdown-timeout': { type: 'string', env: 'OSSEMU_SHUTDOWN_TIMEOUT_MS', help: 'ms to let in-flight requests finish on SIGTERM', default: String(DEFAULT_CONFIG.shutdownTimeoutMs) },
  'body-idle-timeout': { type: 'string', env: 'OSSEMU_BODY_IDLE_TIMEOUT_MS', help: 'ms a request body may stall before 400 RequestTimeout, or a download before it is cut (0 = never)', default: String(DEFAULT_CONFIG.bodyIdleTimeoutMs) },
  'restore-delay': { type: 'string', env: 'OSSEMU_RESTORE_DELAY_MS', help: 'ms a RestoreObject takes before the copy is readable (0 = at once)', default: String(DEFAULT_CONFIG.restoreDelayMs) },
  'callback-timeout': { type: 'string', env: 'OSSEMU_CALLBACK_TIMEOUT_MS', help: 'ms an upload callback\'s server may take to answer (OSS: 5000)', default: String(DEFAULT_CONFIG.callbackTimeoutMs) },
} as const;

type OptionName = keyof typeof OPTIONS;

export function usage(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]) => `  --${name.padEnd(18)} ${o.env.padEnd(26)} ${o.help} (default: ${o.default || 'none'})`);
  return `ossemu ${VERSION}: a local Alibaba Cloud OSS emulator\n\nUsage: ossemu [flags]   (every flag has an environment twin)\n\n${lines.join('\n')}\n  --help\n  --version\n`;
}

/** Flags win over environment variables, which win over defaults. */
export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorConfig {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type }])) as Record<OptionName, { type: 'string' | 'boolean' }>,
    strict: true,
  });
  const pick = (name: OptionName): string => {
    const flag = values[name];
    if (flag !== undefined) return String(flag);
    return env[OPTIONS[name].env] ?? OPTIONS[name].default;
  };
  const oneOf = <T extends string>(name: OptionName, allowed: readonly T[]): T => {
    const value = pick(name);
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(', ')} (got ${value})`);
    return value as T;
  };
  const given = (name: OptionName): boolean => values[name] !== undefined || env[OPTIONS[name].env] !== undefined;
  const port = Number(pick('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got ${pick('port')})`);
  const inMemory = /^(1|true|yes)$/i.test(pick('in-memory'));
  const milliseconds = (name: OptionName): number => {
    const raw = pick(name);
    // setTimeout takes at most 2^31 - 1 ms (24.8 days); beyond that it fires at once.
    if (!/^\d{1,10}$/.test(raw) || Number(raw) > MAX_TIMER_MS) throw new Error(`--${name} must be a whole number of ms up to ${MAX_TIMER_MS} (got ${raw})`);
    return Number(raw);
  };
  // In the container image (OSSEMU_CONTAINER=1) the default is memory, or /data when the user mounted it.
  const inContainer = env['OSSEMU_CONTAINER'] === '1' && !given('data-dir') && !given('in-memory');
  return {
    host: pick('host'),
    port,
    dataDir: inMemory ? undefined : inContainer ? containerDataDir() : pick('data-dir'),
    sync: oneOf('sync', ['normal', 'full']),
    accessKeyId: pick('access-key-id'),
    accessKeySecret: pick('access-key-secret'),
    region: pick('region').replace(/^oss-/, ''),
    auth: oneOf('auth', ['on', 'off']),
    ramUsers: readRamUsersOption(pick('ram-users'), pick('access-key-id')),
    buckets: pick('buckets').split(',').map((b) => b.trim()).filter((b) => b !== ''),
    logLevel: oneOf('log-level', ['silent', 'error', 'warn', 'info', 'debug']),
    logFormat: oneOf('log-format', ['text', 'json']),
    adminToken: pick('admin-token') || undefined,
    seedDir: pick('seed-dir') || undefined,
    shutdownTimeoutMs: milliseconds('shutdown-timeout'),
    bodyIdleTimeoutMs: milliseconds('body-idle-timeout'),
    restoreDelayMs: milliseconds('restore-delay'),
    callbackTimeoutMs: atLeastOne(milliseconds('callback-timeout'), 'callback-timeout'),
  };
}

/** A limit where 0 would mean nothing can ever pass (unlike the others, for which 0 is "never" or "at once"). */
function atLeastOne(ms: number, name: string): number {
  if (ms < 1) throw new Error(`--${name} must be at least 1 ms`);
  return ms;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<RunningEmulator | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return undefined;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return undefined;
  }
  let config: EmulatorConfig;
  try {
    config = configFromArgs(argv, env);
  } catch (error) {
    process.stderr.write(`ossemu: ${(error as Error).message}\n\n${usage()}`);
    process.exitCode = 2;
    return undefined;
  }
  // This process is the emulator's alone: it may tune the process's memory for request bodies.
  manageBodyMemory();
  let emulator: RunningEmulator;
  try {
    // Users travel as the specs they were read from; startEmulator parses them again.
    emulator = await startEmulator({ ...config, ramUsers: config.ramUsers.map((user) => describeRamUser(user, (secret) => secret)) });
  } catch (error) {
    process.stderr.write(`ossemu: could not start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return undefined;
  }
  if (config.logLevel !== 'silent') {
    process.stdout.write(
      [
        `ossemu ${VERSION} listening on ${emulator.endpoint}`,
        `  region:            ${config.region} (endpoint oss-${config.region}.aliyuncs.com style hosts resolve buckets from Host)`,
        `  access key id:     ${config.accessKeyId}`,
        `  access key secret: ${config.accessKeySecret}`,
        `  storage:           ${config.dataDir ? `SQLite in ${emulator.store.location}` : 'in memory'}`,
        `  auth:              ${config.auth}`,
        ...(config.ramUsers.length ? [`  RAM users:         ${config.ramUsers.map((u) => `${u.name} (${u.accessKeyId})`).join(', ')}`] : []),
        `  buckets:           ${config.buckets.length ? config.buckets.join(', ') : '(none)'}${config.seedDir ? ` (seeded from ${config.seedDir})` : ''}`,
        `  admin:             ${emulator.endpoint}/_ossemu/health, /_ossemu/config, POST /_ossemu/reset, POST /_ossemu/seed, PUT /_ossemu/ram-users`,
        '',
      ].join('\n'),
    );
  }
  const shutdown = (signal: string): void => {
    process.stdout.write(`ossemu: ${signal}, closing\n`);
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return emulator;
}
