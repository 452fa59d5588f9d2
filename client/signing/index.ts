export type { SigningRequest, QueryParam } from './types.js';
export {
  V1_SIGNED_SUBRESOURCES,
  isV1SignedSubresource,
  v1CanonicalResource,
  v1CanonicalHeaders,
  v1StringToSign,
  v1Signature,
  v1AuthorizationHeader,
  v1PresignQuery,
} from './v1.js';
export type { V1PresignInput } from './v1.js';
export {
  V4_ALGORITHM,
  V4_TERMINATOR,
  V4_UNSIGNED_PAYLOAD,
  V4_SIGNATURE_QUERY,
  v4UriEncode,
  isV4DefaultSignedHeader,
  v4NormalizeAdditionalHeaders,
  parseV4Authorization,
  v4CanonicalUri,
  v4CanonicalQuery,
  v4CanonicalRequest,
  v4Scope,
  v4StringToSign,
  v4SigningKey,
  v4Signature,
  v4Datetime,
  v4AuthorizationHeader,
  v4PresignQuery,
} from './v4.js';
export type { ParsedV4Authorization, V4AuthorizationInput, V4PresignInput } from './v4.js';
