import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/ossemu.js', import.meta.url));

/** The emulator's CLI running as a separate process, as users and CI run it. */
export interface ChildEmulator {
  process: ChildProcess;
  endpoint: string;
  output: () => string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `bin/ossemu.js` with the given flags (plus `--port 0 --log-level error` unless
 * `onlyGiven`), and resolves once it prints its endpoint.
 */
export async function startChildEmulator(args: string[], env: NodeJS.ProcessEnv = {}, options: { onlyGiven?: boolean } = {}): Promise<ChildEmulator> {
  const defaults = options.onlyGiven ? [] : ['--port', '0', '--log-level', 'error'];
  const child = spawn(process.execPath, [CLI, ...defaults, ...args], {
    env: { ...withoutOssemuVariables(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 20 s:\n${output}`)), 20_000);
    const onData = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited early (${code ?? signal}):\n${output}`));
    });
  });
  return { process: child, endpoint, output: () => output, exited };
}

/** A child must not pick up OSSEMU_* settings from the developer's shell. */
function withoutOssemuVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('OSSEMU_')));
}
