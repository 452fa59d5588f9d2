import { createHash } from 'node:crypto';
import type { XmlElement } from '../util/xml.js';

/** The single account's owner element, as OSS lists it: ID and DisplayName are both its UID. */
export function ownerOf(accessKeyId: string): XmlElement {
  const id = accountIdOf(accessKeyId);
  return { ID: id, DisplayName: id };
}

const accountIds = new Map<string, string>();

/** The account's UID (what policies name): a stable 16-digit number derived from its access key id, computed once per key. */
export function accountIdOf(accessKeyId: string): string {
  let id = accountIds.get(accessKeyId);
  if (id === undefined) {
    id = BigInt('0x' + createHash('sha256').update(accessKeyId).digest('hex').slice(0, 15)).toString().padStart(16, '1').slice(0, 16);
    accountIds.set(accessKeyId, id);
  }
  return id;
}
