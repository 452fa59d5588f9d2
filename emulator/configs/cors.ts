import { corsConfigurationXml, readCorsConfiguration } from '../access/cors.js';
import { OssError } from '../errors/oss-error.js';
import type { ConfigurationKind } from './kind.js';

/**
 * A bucket's CORS rules (PutBucketCors): what they hold and how they match is `access/cors.ts`;
 * `ops/cors.ts` answers preflights with them and adds their headers to every other answer.
 */
export const bucketCors: ConfigurationKind<'cors'> = {
  key: 'cors',
  subresource: 'cors',
  root: 'CORSConfiguration',
  names: { put: 'PutBucketCors', get: 'GetBucketCors', delete: 'DeleteBucketCors' },
  actions: { put: 'oss:PutBucketCors', get: 'oss:GetBucketCors', delete: 'oss:DeleteBucketCors' },
  none: { error: 'NoSuchCORSConfiguration' },
  invalidCharacter: () => new OssError('InvalidArgument', { message: 'A CORS rule may not hold control characters.', ec: '0034-00000002' }),
  read: (root) => readCorsConfiguration(root),
  render: corsConfigurationXml,
};
