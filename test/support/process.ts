/**
 * Running another language's client program (Go, Ruby) for the SDK tests: the emulator runs
 * in-process, so programs run asynchronously while it serves them.
 */
import { execFile } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (in `cwd`, else ours); a spawn failure is reported as code null with the reason in stderr. */
export function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      let code: number | null = 0;
      if (error) code = typeof error.code === 'number' ? error.code : null;
      // A string code is a spawn failure (ENOENT, ...) or a buffer overflow, not an exit status.
      const spawnError = error && typeof error.code !== 'number' ? `\n[${error.message}]` : '';
      resolve({ code, signal: error?.signal ?? null, stdout, stderr: stderr + spawnError });
    });
  });
}

export function describeRun(what: string, r: RunResult): string {
  return [
    `${what}: exit code ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}`,
    '--- stdout ---',
    r.stdout.trimEnd(),
    '--- stderr ---',
    r.stderr.trimEnd(),
  ].join('\n');
}
