/**
 * Every OSS error the emulator can produce: HTTP status, the service's message text and
 * a default EC. Messages are the ones real OSS sends (see docs/divergences.md where the
 * text or EC is our choice). Nothing else in the emulator may invent an error code.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  readonly ec: string;
}

export const ERRORS = {
  AccessDenied: { status: 403, message: 'You have no right to access this object because of bucket acl.', ec: '0003-00000001' },
  // A preflight no CORS rule allows. The message is OSS's, typos and all; its EC is unpublished (ours).
  AccessForbidden: {
    status: 403,
    message:
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.",
    ec: '0003-00000001',
  },
  // SealAppendObject's error table (code, status, message: sealing a non-appendable object); ossemu also answers it to an
  // append to a sealed object (docs/divergences.md). [GUESS] EC: none is published; 0026 is AppendObject's prefix.
  AppendSealedObjectNotAllowed: { status: 409, message: 'The SealAppendObject operation is performed on a non-Appendable Object.', ec: '0026-00000019' },
  BucketAlreadyExists: {
    status: 409,
    message: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    ec: '0015-00000002',
  },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty', ec: '0015-00000301' },
  // An upload callback the application server did not answer as OSS requires: the object is stored all the same. Each
  // cause has its own message and EC (emulator/callbacks/deliver.ts); this one, a server that cannot be reached, has a
  // documented message and a [GUESS] EC.
  CallbackFailed: { status: 203, message: 'Error status : -1. OSS can not connect to your callbackUrl, please check it.', ec: '0007-00000201' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload smaller than the minimum allowed size.', ec: '0042-00000213' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed size.', ec: '0017-00000101' },
  // The retention guide's 409 FileImmutable; its message from OSS's 409 page; the EC the one OSS documents for deleting a protected object.
  FileImmutable: { status: 409, message: 'The object you specified is immutable', ec: '0026-00000005' },
  FileAlreadyExists: { status: 409, message: 'The object you specified already exists and can not be overwritten', ec: '0026-00000002' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.', ec: '0000-00000001' },
  InvalidAccessKeyId: { status: 403, message: 'The OSS Access Key Id you provided does not exist in our records.', ec: '0002-00000902' },
  InvalidSecurityToken: { status: 403, message: 'The security token you provided is invalid.', ec: '0002-00000006' },
  AccessKeyIdAndSecurityTokenNotMatch: { status: 403, message: 'The OSS access key id and security token you provided does not match.', ec: '0002-00000004' },
  InvalidArgument: { status: 400, message: 'Invalid argument.', ec: '0016-00000502' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.', ec: '0015-00000001' },
  // The code and status are in OSS's old error table; the message is ours, and the EC the one OSS documents for an unknown algorithm in a bucket's encryption rule.
  InvalidEncryptionAlgorithmError: { status: 400, message: 'The encryption request you specified is not valid. Supported values: AES256, KMS, SM4.', ec: '0005-00000003' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified was invalid.', ec: '0017-00000503' },
  // [GUESS] EC: no source shows InvalidPart's; 0042 is the multipart module's prefix (0042-00000205, -209, -213).
  InvalidPart: {
    status: 400,
    message: "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    ec: '0042-00000210',
  },
  // The EC page (0042-00000209) names no code: InvalidPartOrder is what the SDKs know.
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. Parts list must specified in order by part number.', ec: '0042-00000209' },
  InvalidObjectName: { status: 400, message: 'The specified object is not valid.', ec: '0016-00000005' },
  // The EC is one seen on a real InvalidObjectState (a CopyObject of a frozen object); none is documented for GetObject.
  InvalidObjectState: { status: 403, message: "The operation is not valid for the object's state", ec: '0016-00000330' },
  InvalidPolicyDocument: { status: 400, message: 'The policy document is invalid.', ec: '0030-00000005' },
  // The code is in OSS's error table and the Java SDK; the message is ours, the EC that of a target that does not exist (0032-00000008).
  InvalidTargetBucketForLogging: { status: 400, message: 'The target bucket for logging is not valid.', ec: '0032-00000008' },
  InvalidRange: { status: 416, message: 'The requested range cannot be satisfied', ec: '0017-00000301' },
  InvalidRequest: { status: 400, message: 'Invalid request.', ec: '0016-00000001' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
    ec: '0016-00000601',
  },
  // PostObject: a body that is no multipart/form-data OSS can read, or has no file (EC page 0006-00000104).
  // PostObject with a second file: OSS's PostObject page names the code; the message is S3's and the EC that of a malformed form (ours).
  IncorrectNumberOfFilesInPOSTRequest: { status: 400, message: 'POST requires exactly one file upload per request.', ec: '0006-00000104' },
  MalformedPOSTRequest: { status: 400, message: 'The body of your POST request is not well-formed multipart/form-data.', ec: '0006-00000104' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size.', ec: '0011-00000002' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.', ec: '0016-00000004' },
  MissingArgument: { status: 400, message: 'Missing Some Required Arguments.', ec: '0016-00000501' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.', ec: '0017-00000001' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.', ec: '0015-00000101' },
  NoSuchBucketPolicy: { status: 404, message: 'The bucket policy does not exist.', ec: '0030-00000006' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS Configuration does not exist.', ec: '0034-00000001' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.', ec: '0026-00000001' },
  // [GUESS] EC: no source shows NoSuchLifecycle's; 0014 is the lifecycle module's prefix (0014-00000008, -17, -24).
  NoSuchLifecycle: { status: 404, message: 'No Row found in Lifecycle Table.', ec: '0014-00000001' },
  // SDK tests against OSS show the code; the message is S3's, the EC [GUESS] (0026 is the object module's prefix).
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.', ec: '0026-00000013' },
  NoSuchServerSideEncryptionRule: { status: 404, message: 'The server side encryption configuration was not found', ec: '0005-00000004' },
  NoSuchUpload: {
    status: 404,
    message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    ec: '0042-00000002',
  },
  // [GUESS] EC: no source shows NoSuchWebsiteConfiguration's; 0019 is the website module's prefix (0019-00000002, -09).
  NoSuchWebsiteConfiguration: { status: 404, message: 'The specified bucket does not have a website configuration.', ec: '0019-00000001' },
  // The message with its full stop, as the Swift SDK's test against OSS asserts it.
  NoSuchWORMConfiguration: { status: 404, message: 'The WORM Configuration does not exist.', ec: '0027-00000009' },
  // Codes, statuses and messages from OSS's 400 and 403 pages and SDK tests against OSS; [GUESS] ECs: none is published.
  InvalidWORMConfiguration: { status: 400, message: 'Invalid WORM Configuration.', ec: '0027-00000006' },
  WORMConfigurationLocked: { status: 403, message: 'The WORM Configuration is locked.', ec: '0027-00000007' },
  // The one EC OSS documents for NotImplemented (a conditional header on PutObject); 0016-00000701 is RestoreAlreadyInProgress's.
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented.', ec: '0017-00000245' },
  ObjectNotAppendable: { status: 409, message: 'The object is not appendable', ec: '0026-00000017' },
  // The EC is documented (GetSymlink of an object that is no link); the code, status and message are ours.
  NotSymlink: { status: 400, message: 'The specified object is not a symlink.', ec: '0043-00000101' },
  // The message as an SDK test against OSS asserts it (no full stop), and the documented EC.
  SymlinkTargetNotExist: { status: 404, message: 'The symlink target object does not exist', ec: '0026-00000012' },
  // Code, status and message are in OSS's error table; no EC is documented: SymlinkTargetNotExist's, the same family's.
  InvalidTargetType: { status: 400, message: "The symbolic's target file type is invalid.", ec: '0026-00000012' },
  OperationNotSupported: { status: 400, message: 'The operation is not supported for this resource', ec: '0016-00000702' },
  PositionNotEqualToLength: { status: 409, message: 'Position is not equal to file length', ec: '0026-00000016' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold.', ec: '0017-00001001' },
  RestoreAlreadyInProgress: { status: 409, message: 'The restore operation is in progress.', ec: '0016-00000701' },
  RequestTimeTooSkewed: { status: 403, message: 'The difference between the request time and the current time is too large.', ec: '0002-00000504' },
  RequestTimeout: {
    status: 400,
    message: 'Your socket connection to the server was not read from or written to within the timeout period.',
    ec: '0017-00000401',
  },
  SignatureDoesNotMatch: {
    status: 403,
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ec: '0002-00000040',
  },
  TooManyBuckets: { status: 400, message: 'You have attempted to create more buckets than allowed.', ec: '0015-00000002' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
