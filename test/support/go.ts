/** Building Go programs against Debian's packaged Go libraries (GOPATH mode), for the SDK tests. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describeRun, run } from './process.js';

/** Where Debian installs Go library sources. */
export const GOPATH = '/usr/share/gocode';
/** A first build compiles the SDK and its dependencies too. */
const BUILD_TIMEOUT_MS = 280_000;

/** Environment for Go in GOPATH mode against Debian's packaged libraries. */
export function goEnv(): NodeJS.ProcessEnv {
  const cache = process.env.GOCACHE ?? join(tmpdir(), 'ossemu-go-build-cache');
  mkdirSync(cache, { recursive: true });
  return {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH,
    GOFLAGS: '',
    GOCACHE: cache,
    CGO_ENABLED: '0',
  };
}

/** Throws, ending with `installHint`, when the Go toolchain is missing. */
export function requireGo(installHint: string): void {
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (goVersion.error || goVersion.status !== 0) {
    throw new Error(`The Go toolchain is not installed (\`go version\` failed: ${goVersion.error?.message ?? goVersion.stderr}). ${installHint}`);
  }
}

/**
 * Builds the Go program `source` into a new temporary folder (removed by the caller). Throws, ending
 * with `installHint`, when the Go toolchain is missing, when `libraryFile` (a source file of the
 * packaged library the program uses) is, or when the build fails: the SDK tests report that as a
 * failure, never a skip.
 */
export async function buildGoProgram(source: string, libraryFile: string, installHint: string): Promise<{ workDir: string; binary: string }> {
  requireGo(installHint);
  if (!existsSync(libraryFile)) throw new Error(`The Go library the program needs is missing (${libraryFile}). ${installHint}`);
  const workDir = mkdtempSync(join(tmpdir(), 'ossemu-go-'));
  const binary = join(workDir, basename(source, '.go'));
  const build = await run('go', ['build', '-o', binary, source], goEnv(), BUILD_TIMEOUT_MS);
  if (build.code !== 0) throw new Error(`${describeRun(`go build of ${relative(process.cwd(), source)} failed`, build)}\n${installHint}`);
  return { workDir, binary };
}

/**
 * Compiles the tests of the Go package `pkg` (an import path, or `.` for the one in `cwd`) into the
 * binary `output`, as `go test -c` does, to run them against the emulator. `gopathFirst` is searched
 * before Debian's GOPATH (for a scratch copy of a package). Throws, ending with `installHint`, when
 * the build fails.
 */
export async function buildGoTests(pkg: string, output: string, installHint: string, options: { cwd: string; gopathFirst?: string }): Promise<void> {
  const env = options.gopathFirst === undefined ? goEnv() : { ...goEnv(), GOPATH: `${options.gopathFirst}:${GOPATH}` };
  const build = await run('go', ['test', '-c', '-o', output, pkg], env, BUILD_TIMEOUT_MS, options.cwd);
  if (build.code !== 0) throw new Error(`${describeRun(`go test -c of ${pkg} in ${options.cwd} failed`, build)}\n${installHint}`);
}
