import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { parseRamUsers, type RamUserSpec } from './access/ram-users.js';
import { createAdmin } from './admin.js';
import { DEFAULT_CONFIG, locationOf, type EmulatorConfig } from './config.js';
import { answerConnect, answerUnparsableRequest, type RefusedRequest } from './http/client-error.js';
import { LingeringClose } from './http/lingering-close.js';
import { createLogger, type LogDestination } from './logger.js';
import { seedFromDirectory } from './seed.js';
import { isValidBucketName } from './ops/bucket.js';
import { createApp, RequestTracker } from './server.js';
import { makeHasher } from './store/body-crc64.js';
import { Store } from './store/store.js';

export { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_CONFIG, type EmulatorConfig } from './config.js';
export type { LogDestination } from './logger.js';
export type { RamUser, RamUserSpec } from './access/ram-users.js';
export { seedFromDirectory, seedFromDocument, type SeedDocument } from './seed.js';

export interface StartOptions extends Partial<Omit<EmulatorConfig, 'ramUsers'>> {
  /** RAM users of the account: key pairs limited by their policies (see access/ram-users.ts). */
  ramUsers?: readonly RamUserSpec[];
  /** Ignore dataDir and keep everything in memory (the default when no dataDir is given). */
  inMemory?: boolean;
  /** Where log lines go (default stdout); logging is silent unless logLevel says otherwise. */
  logDestination?: LogDestination;
}

/** A running emulator, as returned by startEmulator. */
export interface RunningEmulator {
  /** `http://host:port` */
  endpoint: string;
  host: string;
  port: number;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  config: EmulatorConfig;
  store: Store;
  /** Drops every object and bucket (or one bucket), then re-creates the configured buckets. */
  reset(bucket?: string): void;
  /** Stops accepting requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>;
}

/** The package version, read from package.json whether running from source or from dist/. */
export const VERSION: string = readPackageVersion();

function readPackageVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ossemu' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}

/**
 * Starts an emulator in this process. Defaults suit test suites: port 0 (any free port),
 * in memory, logging silenced, the documented default key pair.
 */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const config: EmulatorConfig = { ...DEFAULT_CONFIG, port: 0, ...stripUndefined(options), ramUsers: [] };
  config.ramUsers = parseRamUsers(options.ramUsers ?? [], config.accessKeyId);
  if (options.inMemory) config.dataDir = undefined;
  // A bucket OSS would refuse to create is refused here too, rather than created unusable.
  const invalid = config.buckets.find((name) => !isValidBucketName(name));
  if (invalid !== undefined) {
    throw new Error(`"${invalid}" is not a valid bucket name (3–63 characters: lower-case letters, digits and hyphens, starting and ending with a letter or digit)`);
  }
  const logger = createLogger(config, options.logDestination);
  const store = new Store({ dataDir: config.dataDir, sync: config.sync });
  const ensureBuckets = (): void => {
    for (const name of config.buckets) {
      if (!store.getBucket(name)) store.createBucket({ name, createdAt: Date.now(), acl: 'private', storageClass: 'Standard', redundancy: 'LRS' });
    }
  };
  ensureBuckets();
  // A WebAssembly CRC hasher ready for the first large body (without one, bodies use the JavaScript CRC).
  await makeHasher().catch(() => undefined);
  if (config.seedDir) await seedFromDirectory(store, config.seedDir);
  const reset = (bucket?: string): void => {
    store.purge(bucket);
    ensureBuckets();
  };
  const admin = createAdmin({ config, store, version: VERSION, startedAt: Date.now(), reset });
  const tracker = new RequestTracker();
  const app = createApp({ config, store, logger, admin, tracker });
  // Requests without Host reach the app, which answers them in OSS's format (server.ts, checkFraming).
  const server: Server = createServer({ requireHostHeader: false }, app.callback());
  // An Expect other than 100-continue: RFC 9110 lets a server ignore it rather than answer 417, and
  // Node's 417 would be bare; serve the request as usual.
  server.on('checkExpectation', (req, res) => server.emit('request', req, res));
  const hostId = `${locationOf(config.region)}.aliyuncs.com`;
  // Requests answered without reaching the app are logged as its access log would log them.
  const logRefused = (refused: RefusedRequest): void => logger.info({ ...refused, bytesIn: 0, ms: 0 }, 'request');
  server.on('clientError', (error: Error, socket: Socket) => answerUnparsableRequest(error, socket, hostId, logRefused));
  server.on('connect', (req: IncomingMessage, socket: Socket) => answerConnect(socket, req.url, hostId, logRefused));
  server.keepAliveTimeout = 65_000;
  // Node 20 cuts any request after 5 minutes; a 5 GiB append at a modest rate takes longer.
  server.requestTimeout = 0;
  // While shutting down, every response closes its connection, so keep-alive clients let go as
  // soon as their in-flight request is answered instead of holding shutdown for the full bound.
  const inFlight = new Set<ServerResponse>();
  let shuttingDown = false;
  const lingering = new LingeringClose(() => shuttingDown);
  server.on('connection', (socket: Socket) => lingering.watch(socket));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    lingering.serving(req);
    if (shuttingDown) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${hostForUrl}:${port}`,
    host: config.host,
    port,
    region: config.region,
    accessKeyId: config.accessKeyId,
    accessKeySecret: config.accessKeySecret,
    config,
    store,
    reset,
    /**
     * Stops accepting connections, lets in-flight requests finish for up to shutdownTimeoutMs
     * (then cuts their connections: a cut append leaves nothing behind), closes the database.
     */
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        lingering.closeAll();
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        server.close(() => {
          clearTimeout(force);
          // Cut requests may still be unwinding (an aborted upload removing its bytes): let them.
          void tracker.idle().then(() => {
            store.close();
            resolve();
          });
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
