import { createHash } from 'node:crypto';
import type { XmlElement } from '../util/xml.js';

/** The single account's owner id: a stable 16-digit number derived from its access key id. */
export function ownerOf(accessKeyId: string): XmlElement {
  const digits = BigInt('0x' + createHash('sha256').update(accessKeyId).digest('hex').slice(0, 15)).toString().padStart(16, '1').slice(0, 16);
  return { ID: digits, DisplayName: digits };
}

const accountIds = new Map<string, string>();

/** The account's UID alone (what policies name), computed once per key. */
export function accountIdOf(accessKeyId: string): string {
  let id = accountIds.get(accessKeyId);
  if (id === undefined) {
    id = ownerOf(accessKeyId)['ID'] as string;
    accountIds.set(accessKeyId, id);
  }
  return id;
}
