#!/usr/bin/env node
// The container's HEALTHCHECK: exit 0 when GET /_ossemu/health answers 200 within 2 s, else 1.
// Node itself does the request, so the image needs no curl or wget.
const port = process.env.OSSEMU_PORT || '8080';
try {
  const res = await fetch(`http://127.0.0.1:${port}/_ossemu/health`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
