/** Building Go programs against Debian's packaged Go libraries (GOPATH mode), for the SDK tests. */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian installs Go library sources. */
export const GOPATH = '/usr/share/gocode';

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
