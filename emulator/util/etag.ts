/** The ETag of a whole-body write (PutObject): the upper-case hex of its MD5, given in base64. */
export function md5ToEtag(md5Base64: string): string {
  return Buffer.from(md5Base64, 'base64').toString('hex').toUpperCase();
}
