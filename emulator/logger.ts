import { pino, type Logger } from 'pino';
import type { EmulatorConfig } from './config.js';

/** Where log lines go: stdout unless a test or embedding program passes its own sink. */
export interface LogDestination {
  write(line: string): void;
}

const stdout: LogDestination = { write: (line) => void process.stdout.write(line) };

/** One logger for the emulator: JSON lines, or a compact text line per record. */
export function createLogger(config: Pick<EmulatorConfig, 'logLevel' | 'logFormat'>, destination: LogDestination = stdout): Logger {
  if (config.logFormat === 'json') return pino({ level: config.logLevel, base: undefined }, destination);
  return pino({ level: config.logLevel, base: undefined, timestamp: false }, { write: (line: string) => destination.write(formatText(line)) });
}

/** `request` records become `time METHOD bucket/key Operation status [ErrorCode] in= out= ms id`. */
function formatText(line: string): string {
  const record = JSON.parse(line) as Record<string, unknown>;
  const time = new Date().toISOString();
  if (record['msg'] === 'request') {
    // Bytes Node could not read as a request line have neither method nor path: '-'.
    const path = record['path'] ?? ([record['bucket'], record['key']].filter((p) => p !== undefined).join('/') || '-');
    // `cause`: what Node's HTTP parser refused in a request that never reached the app.
    const cause = record['cause'] ? ` (${String(record['cause'])})` : '';
    const error = record['errorCode'] ? ` ${String(record['errorCode'])}${cause}` : '';
    return `${time} ${String(record['method'] ?? '-')} ${String(path)} ${String(record['operation'] ?? '-')} ${String(record['status'])}${error} in=${String(record['bytesIn'])} out=${String(record['bytesOut'])} ${String(record['ms'])}ms ${String(record['requestId'])}\n`;
  }
  const { level: _level, msg, ...rest } = record;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${time} ${String(msg)}${extra}\n`;
}
