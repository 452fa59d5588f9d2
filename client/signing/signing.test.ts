import { describe, expect, it } from 'vitest';
import {
  V1_SIGNED_SUBRESOURCES,
  parseV4Authorization,
  v1AuthorizationHeader,
  v1CanonicalHeaders,
  v1CanonicalResource,
  v1PresignQuery,
  v1StringToSign,
  v4AuthorizationHeader,
  v4CanonicalQuery,
  v4CanonicalRequest,
  v4CanonicalUri,
  v4Datetime,
  v4NormalizeAdditionalHeaders,
  v4PresignQuery,
  v4Scope,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
  type SigningRequest,
} from './index.js';

// ---------------------------------------------------------------------------
// V1 header auth: go2 oss/signer/signer_test.go TestV1AuthHeader
// ---------------------------------------------------------------------------
describe('V1 header auth (go2 TestV1AuthHeader vectors)', () => {
  const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
  const putHeaders = {
    'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
    'content-type': 'text/html',
    'x-oss-meta-author': 'alice',
    'x-oss-meta-magic': 'abracadabra',
    'x-oss-date': date,
    date, // go2 sets Date; it is not an x-oss header so it is not canonicalized
  };

  it('case 1: PUT /examplebucket/nelson', () => {
    const req: SigningRequest = { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: [], headers: putHeaders };
    expect(v1StringToSign(req, date)).toBe(
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson',
    );
    expect(v1AuthorizationHeader('ak', 'sk', req, date)).toBe('OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
  });

  it('case 2: PUT /examplebucket/nelson?acl', () => {
    const req: SigningRequest = {
      method: 'PUT',
      bucket: 'examplebucket',
      key: 'nelson',
      query: [['acl', null]],
      headers: putHeaders,
    };
    expect(v1StringToSign(req, date)).toBe(
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson?acl',
    );
    expect(v1AuthorizationHeader('ak', 'sk', req, date)).toBe('OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=');
    // `acl=` (empty value) signs the same as bare `acl`
    expect(v1AuthorizationHeader('ak', 'sk', { ...req, query: [['acl', '']] }, date)).toBe(
      'OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=',
    );
  });

  it('case 3: GET /examplebucket/?resourceGroup&non-resousce=null', () => {
    const req: SigningRequest = {
      method: 'GET',
      bucket: 'examplebucket',
      query: [
        ['resourceGroup', null],
        ['non-resousce', 'null'],
      ],
      headers: { 'x-oss-date': date, date },
    };
    expect(v1StringToSign(req, date)).toBe(
      'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?resourceGroup',
    );
    expect(v1AuthorizationHeader('ak', 'sk', req, date)).toBe('OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=');
  });

  it('case 4: GET /examplebucket/?resourceGroup&acl (sorted)', () => {
    const req: SigningRequest = {
      method: 'GET',
      bucket: 'examplebucket',
      query: [
        ['resourceGroup', null],
        ['acl', null],
      ],
      headers: { 'x-oss-date': date, date },
    };
    expect(v1StringToSign(req, date)).toBe(
      'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/?acl&resourceGroup',
    );
    expect(v1AuthorizationHeader('ak', 'sk', req, date)).toBe('OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=');
  });
});

// ---------------------------------------------------------------------------
// V1 presigned: go2 TestV1AuthQuery
// ---------------------------------------------------------------------------
describe('V1 presigned (go2 TestV1AuthQuery vectors)', () => {
  it('case 1: GET /bucket/key?versionId=versionId, Expires=1699807420', () => {
    const req: SigningRequest = {
      method: 'GET',
      bucket: 'bucket',
      key: 'key',
      query: [['versionId', 'versionId']],
      headers: {},
    };
    expect(v1StringToSign(req, '1699807420')).toBe('GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
    expect(v1PresignQuery({ accessKeyId: 'ak', secret: 'sk', req, expires: 1699807420 })).toEqual([
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1699807420'],
      ['Signature', 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ='],
    ]);
  });

  it('case 2: key+123 with STS token (security-token is signed)', () => {
    const req: SigningRequest = {
      method: 'GET',
      bucket: 'bucket',
      key: 'key+123',
      query: [['versionId', 'versionId']],
      headers: {},
    };
    expect(
      v1PresignQuery({ accessKeyId: 'ak', secret: 'sk', req, expires: 1699808204, securityToken: 'token' }),
    ).toEqual([
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1699808204'],
      ['Signature', 'jzKYRrM5y6Br0dRFPaTGOsbrDhY='],
      ['security-token', 'token'],
    ]);
    // verifier side: the request as it arrives (token in the query) reproduces the signature
    const arrived: SigningRequest = {
      ...req,
      query: [
        ['Expires', '1699808204'],
        ['OSSAccessKeyId', 'ak'],
        ['Signature', 'jzKYRrM5y6Br0dRFPaTGOsbrDhY='],
        ['security-token', 'token'],
        ['versionId', 'versionId'],
      ],
    };
    expect(v1StringToSign(arrived, '1699808204')).toBe(
      'GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId',
    );
  });
});

describe('V1 canonicalization details', () => {
  it('resource forms', () => {
    expect(v1CanonicalResource({ query: [] })).toBe('/');
    expect(v1CanonicalResource({ bucket: 'b', query: [] })).toBe('/b/');
    expect(v1CanonicalResource({ bucket: 'b', key: 'a b/ü+c', query: [] })).toBe('/b/a b/ü+c');
  });

  it('only whitelisted and x-oss-* sub-resources, sorted, decoded values', () => {
    const res = v1CanonicalResource({
      bucket: 'b',
      key: 'k',
      query: [
        ['position', '0'],
        ['append', ''],
        ['prefix', 'p'],
        ['max-keys', '10'],
        ['x-oss-process', 'image/resize,w_100'],
        ['response-content-type', 'text/plain; charset=utf-8'],
        ['uploadId', null],
      ],
    });
    expect(res).toBe(
      '/b/k?append&position=0&response-content-type=text/plain; charset=utf-8&uploadId&x-oss-process=image/resize,w_100',
    );
    expect(V1_SIGNED_SUBRESOURCES.has('objectMeta')).toBe(true);
    expect(V1_SIGNED_SUBRESOURCES.has('continuation-token')).toBe(true);
    expect(V1_SIGNED_SUBRESOURCES.has('list-type')).toBe(false);
  });

  it('Content-MD5 and Content-Type are signed trimmed, as the server receives them', () => {
    const signed = (contentType: string, contentMd5: string): string =>
      v1StringToSign({ method: 'PUT', bucket: 'b', key: 'k', query: [], headers: { 'content-type': contentType, 'content-md5': contentMd5 } }, 'D');
    expect(signed(' text/plain ', ' MD5 ')).toBe(signed('text/plain', 'MD5'));
    expect(signed('text/plain', 'MD5')).toBe('PUT\nMD5\ntext/plain\nD\n/b/k');
  });

  it('canonical headers: x-oss-* only, sorted, trimmed', () => {
    expect(
      v1CanonicalHeaders({
        'x-oss-meta-b': '  two ',
        'content-type': 'x',
        'x-oss-meta-a': 'one',
        'x-oss-skip': undefined,
        host: 'h',
      }),
    ).toBe('x-oss-meta-a:one\nx-oss-meta-b:two\n');
  });
});

// ---------------------------------------------------------------------------
// V4: go2 TestV4AuthHeader* / TestV4AuthQuery* vectors
// ---------------------------------------------------------------------------
const goQuery: ReadonlyArray<readonly [string, string | null]> = [
  ['param1', 'value1'],
  ['+param1', 'value3'],
  ['|param1', 'value4'],
  ['+param2', ''],
  ['|param2', ''],
  ['param2', ''],
];
const goKey = '1234+-/123/1.txt';

function goHeaderReq(datetime: string, extra: Record<string, string> = {}): SigningRequest {
  return {
    method: 'PUT',
    bucket: 'bucket',
    key: goKey,
    query: goQuery,
    headers: {
      'x-oss-head1': 'value',
      abc: 'value',
      zabc: 'value',
      xyz: 'value',
      'content-type': 'text/plain',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-date': datetime,
      ...extra,
    },
  };
}

function goQueryReq(): SigningRequest {
  return {
    method: 'PUT',
    bucket: 'bucket',
    key: goKey,
    query: goQuery,
    headers: {
      'x-oss-head1': 'value',
      abc: 'value',
      zabc: 'value',
      xyz: 'value',
      'content-type': 'application/octet-stream',
    },
  };
}

const at = (epoch: number): string => v4Datetime(new Date(epoch * 1000));

describe('V4 header auth (go2 vectors)', () => {
  it('TestV4AuthHeader: 1702743657', () => {
    const datetime = at(1702743657);
    expect(datetime).toBe('20231216T162057Z');
    const req = goHeaderReq(datetime, { date: 'Sat, 16 Dec 2023 16:20:57 GMT' });
    expect(v4AuthorizationHeader({ accessKeyId: 'ak', secret: 'sk', region: 'cn-hangzhou', req, datetime })).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  it('TestV4AuthHeaderWithAdditionalHeaders: abc;zabc at 1702747512', () => {
    const datetime = at(1702747512);
    const req = goHeaderReq(datetime);
    const expected =
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';
    expect(
      v4AuthorizationHeader({
        accessKeyId: 'ak',
        secret: 'sk',
        region: 'cn-hangzhou',
        req,
        datetime,
        additionalHeaders: ['ZAbc', 'abc'],
      }),
    ).toBe(expected);
    // default-signed and absent names are dropped from AdditionalHeaders
    expect(
      v4AuthorizationHeader({
        accessKeyId: 'ak',
        secret: 'sk',
        region: 'cn-hangzhou',
        req,
        datetime,
        additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
      }),
    ).toBe(expected);
  });

  it('TestV4AuthHeaderToken: x-oss-security-token header at 1702784856', () => {
    const datetime = at(1702784856);
    const req = goHeaderReq(datetime, { 'x-oss-security-token': 'token' });
    expect(v4AuthorizationHeader({ accessKeyId: 'ak', secret: 'sk', region: 'cn-hangzhou', req, datetime })).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
    );
  });

  it('TestV4AuthHeaderWithCloudBox: product oss-cloudbox, region cb-123', () => {
    const datetime = at(1702743657);
    const req = goHeaderReq(datetime);
    expect(
      v4AuthorizationHeader({
        accessKeyId: 'ak',
        secret: 'sk',
        region: 'cb-123',
        product: 'oss-cloudbox',
        req,
        datetime,
      }),
    ).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43',
    );
  });

  it('verifier round trip: parse header, recompute with parsed fields', () => {
    const datetime = at(1702747512);
    const req = goHeaderReq(datetime);
    const header = v4AuthorizationHeader({
      accessKeyId: 'ak',
      secret: 'sk',
      region: 'cn-hangzhou',
      req,
      datetime,
      additionalHeaders: ['abc', 'zabc'],
    });
    const p = parseV4Authorization(header);
    expect(p).not.toBeNull();
    if (!p) return;
    const stringToSign = v4StringToSign(
      req.headers['x-oss-date'] ?? '',
      v4Scope(p.date, p.region, p.product),
      v4CanonicalRequest(req, p.additionalHeaders),
    );
    expect(v4Signature(v4SigningKey('sk', p.date, p.region, p.product), stringToSign)).toBe(p.signature);
    expect(p.signature).toBe('4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f');
  });
});

describe('V4 presigned (go2 vectors)', () => {
  it('TestV4AuthQuery: signed at 1702781677, expires 599', () => {
    const datetime = at(1702781677);
    expect(datetime).toBe('20231217T025437Z');
    const params = v4PresignQuery({
      accessKeyId: 'ak',
      secret: 'sk',
      region: 'cn-hangzhou',
      req: goQueryReq(),
      datetime,
      expiresSeconds: 599,
    });
    expect(params).toEqual([
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', 'ak/20231217/cn-hangzhou/oss/aliyun_v4_request'],
      ['x-oss-date', '20231217T025437Z'],
      ['x-oss-expires', '599'],
      ['x-oss-signature', 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe'],
    ]);
  });

  it('TestV4AuthQueryToken: signed at 1702785388 with token', () => {
    const datetime = at(1702785388);
    expect(datetime).toBe('20231217T035628Z');
    const params = v4PresignQuery({
      accessKeyId: 'ak',
      secret: 'sk',
      region: 'cn-hangzhou',
      req: goQueryReq(),
      datetime,
      expiresSeconds: 599,
      securityToken: 'token',
    });
    expect(params).toContainEqual(['x-oss-security-token', 'token']);
    expect(params.at(-1)).toEqual([
      'x-oss-signature',
      '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5',
    ]);
  });

  it('TestV4AuthQueryWithAdditionalHeaders: signed at 1702783809', () => {
    const datetime = at(1702783809);
    expect(datetime).toBe('20231217T033009Z');
    for (const additionalHeaders of [
      ['ZAbc', 'abc'],
      ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc'],
    ]) {
      const params = v4PresignQuery({
        accessKeyId: 'ak',
        secret: 'sk',
        region: 'cn-hangzhou',
        req: goQueryReq(),
        datetime,
        expiresSeconds: 599,
        additionalHeaders,
      });
      expect(params).toContainEqual(['x-oss-additional-headers', 'abc;zabc']);
      expect(params.at(-1)).toEqual([
        'x-oss-signature',
        '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7',
      ]);
    }
  });

  it('TestV4AuthQueryWithCloudBox: both cases', () => {
    const base = {
      accessKeyId: 'ak',
      secret: 'sk',
      region: 'cb-123',
      product: 'oss-cloudbox',
      expiresSeconds: 599,
    };
    const p1 = v4PresignQuery({
      ...base,
      req: goQueryReq(),
      datetime: at(1702781677),
      additionalHeaders: ['ZAbc', 'abc'],
    });
    expect(p1).toContainEqual(['x-oss-credential', 'ak/20231217/cb-123/oss-cloudbox/aliyun_v4_request']);
    expect(p1.at(-1)?.[1]).toBe('07284191b9b4978ac3520cd39ee2dea2747eda454089359371ff463a6c7ba20f');
    const p2 = v4PresignQuery({
      ...base,
      req: goQueryReq(),
      datetime: at(1702783809),
      additionalHeaders: ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc'],
    });
    expect(p2.at(-1)?.[1]).toBe('16782cc8a7a554523db055eb804b508522e7e370073108ad88ee2f47496701dd');
  });

  it('verifier side: the arrived query (with x-oss-signature) reproduces the signature', () => {
    const datetime = at(1702781677);
    const req = goQueryReq();
    const params = v4PresignQuery({ accessKeyId: 'ak', secret: 'sk', region: 'cn-hangzhou', req, datetime, expiresSeconds: 599 });
    const arrived: SigningRequest = { ...req, query: [...[...params].reverse(), ...req.query] };
    const sts = v4StringToSign(datetime, v4Scope('20231217', 'cn-hangzhou'), v4CanonicalRequest(arrived, []));
    expect(v4Signature(v4SigningKey('sk', '20231217', 'cn-hangzhou'), sts)).toBe(
      'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe',
    );
  });
});

describe('V4 canonicalization details', () => {
  it('canonical URI', () => {
    expect(v4CanonicalUri()).toBe('/');
    expect(v4CanonicalUri('bucket')).toBe('/bucket/');
    expect(v4CanonicalUri('bucket', goKey)).toBe('/bucket/1234%2B-/123/1.txt');
    expect(v4CanonicalUri('b', "a b!'()*~é")).toBe('/b/a%20b%21%27%28%29%2A~%C3%A9');
  });

  it('canonical query: RFC3986, sorted by encoded key, bare keys', () => {
    expect(v4CanonicalQuery(goQuery)).toBe(
      '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
    );
    expect(
      v4CanonicalQuery(
        [
          ['position', '0'],
          ['append', null],
          ['x-oss-signature', 'abc'],
          ['a b', 'c/d e'],
        ],
        new Set(['x-oss-signature']),
      ),
    ).toBe('a%20b=c%2Fd%20e&append&position=0');
  });

  it('canonical request layout (headers block, blank line, AdditionalHeaders line)', () => {
    const req: SigningRequest = {
      method: 'POST',
      bucket: 'bkt',
      key: 'dir/obj',
      query: [
        ['position', '0'],
        ['append', ''],
      ],
      headers: {
        'x-oss-date': '20231216T162057Z',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        'content-type': ' text/plain ',
        'content-length': '3',
        host: 'bkt.oss-cn-hangzhou.aliyuncs.com',
      },
    };
    expect(v4CanonicalRequest(req, [])).toBe(
      'POST\n/bkt/dir/obj\nappend&position=0\n' +
        'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\n' +
        '\n' +
        '\n' +
        'UNSIGNED-PAYLOAD',
    );
    expect(v4CanonicalRequest(req, ['content-length', 'host'], 'abc123')).toBe(
      'POST\n/bkt/dir/obj\nappend&position=0\n' +
        'content-length:3\ncontent-type:text/plain\nhost:bkt.oss-cn-hangzhou.aliyuncs.com\n' +
        'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\n' +
        '\n' +
        'content-length;host\n' +
        'abc123',
    );
  });

  it('normalizes additional headers like the SDKs', () => {
    expect(
      v4NormalizeAdditionalHeaders({ host: 'h', 'content-length': '1', 'x-oss-a': 'b' }, [
        'Host',
        'content-length',
        'HOST',
        'x-oss-a',
        'content-type',
        'missing',
      ]),
    ).toEqual(['content-length', 'host']);
  });
});

describe('parseV4Authorization', () => {
  const sig = 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';

  it('go2 / ali-oss style: "," separators', () => {
    expect(
      parseV4Authorization(
        `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=${sig}`,
      ),
    ).toEqual({
      accessKeyId: 'ak',
      date: '20231216',
      region: 'cn-hangzhou',
      product: 'oss',
      additionalHeaders: ['abc', 'zabc'],
      signature: sig,
    });
  });

  it('py1 style: ", " separators, AdditionalHeaders last', () => {
    expect(
      parseV4Authorization(
        `OSS4-HMAC-SHA256 Credential=LTAIxx/20231216/cb-123/oss-cloudbox/aliyun_v4_request, Signature=${sig}, AdditionalHeaders=host;range`,
      ),
    ).toEqual({
      accessKeyId: 'LTAIxx',
      date: '20231216',
      region: 'cb-123',
      product: 'oss-cloudbox',
      additionalHeaders: ['host', 'range'],
      signature: sig,
    });
  });

  it('without AdditionalHeaders', () => {
    expect(
      parseV4Authorization(`OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`)
        ?.additionalHeaders,
    ).toEqual([]);
  });

  it('round-trips what v4AuthorizationHeader produces, in both separator styles', () => {
    const datetime = at(1702747512);
    const header = v4AuthorizationHeader({
      accessKeyId: 'ak',
      secret: 'sk',
      region: 'cn-hangzhou',
      req: goHeaderReq(datetime),
      datetime,
      additionalHeaders: ['abc', 'zabc'],
    });
    const a = parseV4Authorization(header);
    const b = parseV4Authorization(header.replace(/,/g, ', '));
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(a?.additionalHeaders).toEqual(['abc', 'zabc']);
  });

  it('rejects malformed values', () => {
    expect(parseV4Authorization('OSS ak:sig')).toBeNull();
    expect(parseV4Authorization('OSS4-HMAC-SHA256 Signature=abc')).toBeNull();
    expect(
      parseV4Authorization('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request'),
    ).toBeNull();
    expect(parseV4Authorization('OSS4-HMAC-SHA256 Credential=ak/2023121/cn-hangzhou/oss/aliyun_v4_request,Signature=a')).toBeNull();
    expect(parseV4Authorization('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/v4_request,Signature=a')).toBeNull();
    expect(
      parseV4Authorization(
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=a,Signature=b',
      ),
    ).toBeNull();
  });
});
