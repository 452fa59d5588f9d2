import { readFileSync } from 'node:fs';

/**
 * Inside the container image, storage is in memory unless the user mounted a volume or a folder
 * at /data. Docker gives every container an anonymous volume for `VOLUME /data`; that one does
 * not count, and is recognised by its 64-hex-digit name in the mount's source path.
 */
export function isUserMount(mountinfo: string, path: string): boolean {
  for (const line of mountinfo.split('\n')) {
    // mountinfo: id parent major:minor root mount-point options … - fstype source superoptions
    const fields = line.split(' ');
    if (fields[4] !== path) continue;
    const root = fields[3] ?? '';
    return !/\/volumes\/[0-9a-f]{64}\/_data$/.test(root);
  }
  return false;
}

/** The data folder the image should use: /data when mounted by the user, else none (memory). */
export function containerDataDir(path = '/data', mountinfoFile = '/proc/self/mountinfo'): string | undefined {
  try {
    return isUserMount(readFileSync(mountinfoFile, 'utf8'), path) ? path : undefined;
  } catch {
    return undefined;
  }
}
