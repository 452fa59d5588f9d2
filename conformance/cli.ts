import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { formatTable, summarize, writeReports } from './report.js';
import { runSuite } from './runner.js';
import { MissingConfiguration } from './target.js';
import { DRIVERS, type Driver } from './types.js';

const USAGE = `ossemu-conformance: run the OSS conformance suite against the emulator or a real bucket

Usage: ossemu-conformance [--target emulator|oss] [--record] [--fixtures DIR] [--report-dir DIR]
                          [--filter REGEX] [--driver wire|ali-oss]

  --target      emulator (default; an in-process emulator) or oss (env: OSS_TARGET)
                oss needs OSS_ENDPOINT, OSS_REGION, OSS_BUCKET, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,
                optionally OSS_SESSION_TOKEN; OSS_ALLOW_BUCKET_OPS=1 lets cases create and delete buckets;
                OSS_RAM_ACCESS_KEY_ID/SECRET: a RAM user allowed only oss:PutObject on the bucket's
                objects, for the permission cases (skipped without it)
  --record      write each case's normalised exchanges to <fixtures>/recorded/ (env: OSS_RECORD=1)
  --fixtures    fixtures folder (default: the package's fixtures/; env: OSS_FIXTURES_DIR)
  --report-dir  where conformance-report.json and .md go (default: the working directory)
`;

/** The package's own fixtures/ folder, from source (conformance/) or from dist/conformance/. */
function defaultFixturesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'conformance')}`) ? join(here, '..', '..', 'fixtures') : join(here, '..', 'fixtures');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      record: { type: 'boolean' },
      fixtures: { type: 'string' },
      'report-dir': { type: 'string' },
      filter: { type: 'string' },
      driver: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const target = values.target ?? env['OSS_TARGET'] ?? 'emulator';
  if (target !== 'emulator' && target !== 'oss') {
    process.stderr.write(`--target must be emulator or oss (got ${target})\n\n${USAGE}`);
    return 2;
  }
  if (values.driver !== undefined && !DRIVERS.includes(values.driver as Driver)) {
    process.stderr.write(`--driver must be one of ${DRIVERS.join(', ')}\n`);
    return 2;
  }
  try {
    const report = await runSuite({
      target,
      env,
      fixturesDir: resolve(values.fixtures ?? env['OSS_FIXTURES_DIR'] ?? defaultFixturesDir()),
      record: values.record ?? env['OSS_RECORD'] === '1',
      filter: values.filter ? new RegExp(values.filter) : undefined,
      drivers: values.driver ? [values.driver as Driver] : undefined,
    });
    process.stdout.write(formatTable(report) + '\n');
    const files = writeReports(report, resolve(values['report-dir'] ?? '.'));
    process.stdout.write(`reports: ${files.json}, ${files.markdown}\n`);
    return summarize(report).fail === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof MissingConfiguration) {
      process.stderr.write(`ossemu-conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
