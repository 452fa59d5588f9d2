#!/usr/bin/env node
// Compiles the TypeScript sources into dist/ when dist/ is missing or older than any source file,
// so `npm start` works straight after `npm ci` and stays fast on later starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['emulator', 'client', 'conformance', 'bench'];
const STAMP = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function buildIfNeeded() {
  const config = join(root, 'tsconfig.build.json');
  // An installed package or the container image ships dist/ without sources or TypeScript.
  if (!existsSync(config) || !existsSync(join(root, 'node_modules', '.bin', 'tsc'))) {
    if (existsSync(join(root, 'dist', 'emulator', 'cli.js'))) return;
    throw new Error('dist/ is missing and TypeScript is not installed: run `npm ci` first');
  }
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(join(root, d))), statSync(config).mtimeMs);
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  process.stderr.write('ossemu: compiling TypeScript…\n');
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`TypeScript compilation failed (tsc exit ${result.status})`);
  writeFileSync(STAMP, '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfNeeded();
