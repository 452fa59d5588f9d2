import Database from 'better-sqlite3';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a stopped emulator's data folder holds: bytes in extent files, committed bytes, non-live blobs. */
export function storedBytes(dataDir: string): { files: number; committed: number; notLive: number } {
  const extents = join(dataDir, 'extents');
  const files = readdirSync(extents).reduce((sum, name) => sum + statSync(join(extents, name)).size, 0);
  const db = new Database(join(dataDir, 'ossemu.sqlite'), { readonly: true });
  try {
    const committed = (db.prepare('SELECT COALESCE(SUM(length), 0) AS n FROM extents').get() as { n: number }).n;
    const notLive = (db.prepare("SELECT COUNT(*) AS n FROM blobs WHERE state <> 'live'").get() as { n: number }).n;
    return { files, committed, notLive };
  } finally {
    db.close();
  }
}
