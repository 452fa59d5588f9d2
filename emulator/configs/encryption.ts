import { OssError } from '../errors/oss-error.js';
import type { Encryption } from '../store/types.js';
import type { XmlElement } from '../util/xml.js';
import { elementOf, textOf } from '../util/xml-fields.js';
import { invalidArgument, type ConfigurationKind } from './kind.js';

/**
 * A bucket's default server-side encryption (PutBucketEncryption): objects written without
 * `x-oss-server-side-encryption` are encrypted (and say so) as it says; a header still decides for
 * its own object. oss2's and the Java SDK's tests against OSS pin down what is checked and echoed.
 */
export const bucketEncryption: ConfigurationKind<'encryption'> = {
  key: 'encryption',
  subresource: 'encryption',
  root: 'ServerSideEncryptionRule',
  names: { put: 'PutBucketEncryption', get: 'GetBucketEncryption', delete: 'DeleteBucketEncryption' },
  actions: { put: 'oss:PutBucketEncryption', get: 'oss:GetBucketEncryption', delete: 'oss:DeleteBucketEncryption' },
  none: { error: 'NoSuchServerSideEncryptionRule' },

  read(root) {
    const rule = elementOf(root['ApplyServerSideEncryptionByDefault']);
    if (rule === undefined) throw new OssError('MalformedXML');
    const algorithm = textOf(rule['SSEAlgorithm']) ?? '';
    // An empty element is no key and no data algorithm (OSS's own request example sends `<KMSMasterKeyID></KMSMasterKeyID>`).
    const keyId = textOf(rule['KMSMasterKeyID']) || undefined;
    const dataEncryption = textOf(rule['KMSDataEncryption']) || undefined;
    if (algorithm !== 'AES256' && algorithm !== 'KMS' && algorithm !== 'SM4') {
      throw new OssError('InvalidEncryptionAlgorithmError', { details: [['ArgumentName', 'SSEAlgorithm'], ['ArgumentValue', algorithm]] });
    }
    if (keyId !== undefined && algorithm !== 'KMS') {
      throw invalidArgument('KMSMasterKeyID is not applicable if the default sse algorithm is not KMS.', '0005-00000204', 'KMSMasterKeyID', keyId);
    }
    if (dataEncryption !== undefined && dataEncryption !== 'SM4') {
      throw invalidArgument('KMSDataEncryption may only be SM4.', '0005-00000203', 'KMSDataEncryption', dataEncryption);
    }
    // With AES256 or SM4, OSS accepts KMSDataEncryption and drops it (oss2's test_put_bucket_encryption).
    return { algorithm, ...(algorithm === 'KMS' && dataEncryption ? { dataEncryption } : {}), ...(keyId !== undefined ? { keyId } : {}) };
  },

  render: (encryption) => ({ ApplyServerSideEncryptionByDefault: encryptionElements(encryption) }),
};

/** SSEAlgorithm, KMSMasterKeyID, KMSDataEncryption: the rule's elements, also in GetBucketInfo. */
export function encryptionElements(encryption: Encryption): XmlElement {
  return {
    SSEAlgorithm: encryption.algorithm,
    ...(encryption.keyId !== undefined ? { KMSMasterKeyID: encryption.keyId } : {}),
    ...(encryption.dataEncryption !== undefined ? { KMSDataEncryption: encryption.dataEncryption } : {}),
  };
}
