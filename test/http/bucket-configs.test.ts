/**
 * Bucket configurations that PUT sets and GET reads back: lifecycle, website, referer (hotlink
 * protection, which the emulator enforces), logging, default encryption (applied to new objects)
 * and bucket tags (which ListBuckets can filter by). What OSS checks, and the shapes the SDKs
 * send, come from the SDKs' tests against OSS and OSS's error-code pages (docs/divergences.md).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { acrossRestart, childOrder, expectEmptySuccess, expectError, parseXml, presignV1, startTestEmulator, useTestEmulator, type OssClient, type OssResponse } from './helpers.js';

const B = 'configs-bkt';
let oss: OssClient;
useTestEmulator(B, (_emu, client) => (oss = client));

const put = (query: string, body: string, bucket = B, headers: Record<string, string> = {}): Promise<OssResponse> =>
  oss.send({ method: 'PUT', bucket, query, body, headers });
const get = (query: string, bucket = B): Promise<OssResponse> => oss.send({ method: 'GET', bucket, query });
const remove = (query: string, bucket = B): Promise<OssResponse> => oss.send({ method: 'DELETE', bucket, query });
/** The text of GET's answer after the XML declaration. */
const documentOf = (res: OssResponse): string => {
  expect(res.status, res.text).toBe(200);
  return res.text.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/>\s+</g, '><').trim();
};

describe('PutBucketLifecycle, GetBucketLifecycle, DeleteBucketLifecycle', () => {
  const lifecycle = (...rules: string[]): string => `<LifecycleConfiguration>${rules.join('')}</LifecycleConfiguration>`;
  // The Go SDK 1.5.0's BuildLifecycleRuleByDate and BuildLifecycleRuleByDays, byte for byte.
  const BY_DATE = '<Rule><ID>idone</ID><Prefix>one</Prefix><Status>Enabled</Status><Expiration><Date>2015-11-11T00:00:00.000Z</Date></Expiration></Rule>';
  const BY_DAYS = '<Rule><ID>idtwo</ID><Prefix>two</Prefix><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>';

  it('put (200), get back in the order sent, replace, delete (204, twice), then 404 NoSuchLifecycle', async () => {
    expectEmptySuccess(await put('lifecycle', lifecycle(BY_DATE, BY_DAYS)));
    expect(documentOf(await get('lifecycle'))).toBe(`<LifecycleConfiguration>${BY_DATE}${BY_DAYS}</LifecycleConfiguration>`);
    expectEmptySuccess(await put('lifecycle', lifecycle(BY_DAYS)));
    expect(documentOf(await get('lifecycle'))).toBe(`<LifecycleConfiguration>${BY_DAYS}</LifecycleConfiguration>`);
    expectEmptySuccess(await remove('lifecycle'), 204);
    expectEmptySuccess(await remove('lifecycle'), 204);
    const error = expectError(await get('lifecycle'), 404, 'NoSuchLifecycle', { message: 'No Row found in Lifecycle Table.' });
    expect(error['BucketName']).toBe(B);
  });

  it("a rule's elements in any order come back as ID, Prefix, Status, then the actions; elements unknown under Rule are ignored (ali-oss's old call shape)", async () => {
    // Go SDK v2 writes Status first and ali-oss ID last; ali-oss's old shape adds <Days> beside <Expiration>.
    const rule =
      '<Rule><Status>Disabled</Status><Days>1</Days><AbortMultipartUpload><Days>2</Days></AbortMultipartUpload>' +
      '<Transition><StorageClass>Archive</StorageClass><Days>60</Days></Transition><Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>' +
      '<Expiration><Days>90</Days></Expiration><Prefix>logs/</Prefix><ID>mixed</ID></Rule>';
    expectEmptySuccess(await put('lifecycle', lifecycle(rule)));
    const got = await get('lifecycle');
    expect(childOrder(got.text, 'Rule')).toEqual(['ID', 'Prefix', 'Status', 'Expiration', 'Transition', 'Transition', 'AbortMultipartUpload']);
    expect(documentOf(got)).toBe(
      '<LifecycleConfiguration><Rule><ID>mixed</ID><Prefix>logs/</Prefix><Status>Disabled</Status><Expiration><Days>90</Days></Expiration>' +
        '<Transition><Days>60</Days><StorageClass>Archive</StorageClass></Transition><Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>' +
        '<AbortMultipartUpload><Days>2</Days></AbortMultipartUpload></Rule></LifecycleConfiguration>',
    );
  });

  it('tags, filters, access-time transitions, versioning actions and ExpiredObjectDeleteMarker (oss2 writes True) are kept', async () => {
    const rules = [
      '<Rule><ID>tagged</ID><Prefix>a/</Prefix><Status>Enabled</Status><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value></Value></Tag><Expiration><CreatedBeforeDate>2020-02-17T00:00:00.000Z</CreatedBeforeDate></Expiration></Rule>',
      '<Rule><ID>atime</ID><Prefix>b/</Prefix><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>IA</StorageClass><IsAccessTime>true</IsAccessTime><ReturnToStdWhenVisit>false</ReturnToStdWhenVisit></Transition>' +
        '<Filter><Not><Prefix>b/keep/</Prefix><Tag><Key>keep</Key><Value>yes</Value></Tag></Not><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter></Rule>',
      '<Rule><ID>versions</ID><Prefix>c/</Prefix><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>True</ExpiredObjectDeleteMarker></Expiration>' +
        '<NoncurrentVersionTransition><NoncurrentDays>40</NoncurrentDays><StorageClass>Archive</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>50</NoncurrentDays></NoncurrentVersionExpiration></Rule>',
    ];
    expectEmptySuccess(await put('lifecycle', lifecycle(...rules)));
    const doc = parseXml((await get('lifecycle')).text)['LifecycleConfiguration'] as { Rule: Array<Record<string, unknown>> };
    expect(doc.Rule[0]).toEqual({
      ID: 'tagged',
      Prefix: 'a/',
      Status: 'Enabled',
      Expiration: { CreatedBeforeDate: '2020-02-17T00:00:00.000Z' },
      Tag: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: '' }],
    });
    expect(doc.Rule[1]).toEqual({
      ID: 'atime',
      Prefix: 'b/',
      Status: 'Enabled',
      Transition: { Days: '30', StorageClass: 'IA', IsAccessTime: 'true', ReturnToStdWhenVisit: 'false' },
      Filter: { ObjectSizeGreaterThan: '500', Not: { Prefix: 'b/keep/', Tag: { Key: 'keep', Value: 'yes' } } },
    });
    expect(doc.Rule[2]).toEqual({
      ID: 'versions',
      Prefix: 'c/',
      Status: 'Enabled',
      Expiration: { ExpiredObjectDeleteMarker: 'true' },
      NoncurrentVersionExpiration: { NoncurrentDays: '50' },
      NoncurrentVersionTransition: { NoncurrentDays: '40', StorageClass: 'Archive' },
    });
  });

  it('a rule without an ID (or with an empty one, as the Go SDK sends it) gets one made up, different per rule', async () => {
    expectEmptySuccess(
      await put('lifecycle', lifecycle('<Rule><Prefix>x/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>', '<Rule><ID></ID><Prefix>y/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>')),
    );
    const rules = (parseXml((await get('lifecycle')).text)['LifecycleConfiguration'] as { Rule: Array<{ ID: string }> }).Rule;
    expect(rules.map((r) => r.ID.length > 0)).toEqual([true, true]);
    expect(rules[0]!.ID).not.toBe(rules[1]!.ID);
  });

  const expiring = (extra: string, prefix = 'p/', id = 'r'): string => `<Rule><ID>${id}</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${extra}</Rule>`;
  it.each([
    ['no rule at all (the Go SDK test)', lifecycle(), 400, 'MalformedXML', '0014-00000013'],
    ['a rule without Status', lifecycle('<Rule><ID>r</ID><Prefix>p</Prefix><Expiration><Days>1</Days></Expiration></Rule>'), 400, 'MalformedXML', '0014-00000025'],
    ['Status that is neither Enabled nor Disabled', lifecycle('<Rule><ID>r</ID><Prefix>p</Prefix><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>'), 400, 'InvalidArgument', '0014-00000024'],
    ['a rule without an action', lifecycle(expiring('')), 400, 'InvalidArgument', '0014-00000026'],
    ['an ID over 255 characters', lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'p/', 'i'.repeat(256))), 400, 'InvalidArgument', '0014-00000019'],
    ['two rules with one ID', lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'a/'), expiring('<Expiration><Days>1</Days></Expiration>', 'b/')), 400, 'InvalidArgument', '0014-00000020'],
    ['Expiration without a time', lifecycle(expiring('<Expiration></Expiration>')), 400, 'InvalidArgument', '0014-00000060'],
    ['Expiration with Days and CreatedBeforeDate', lifecycle(expiring('<Expiration><Days>1</Days><CreatedBeforeDate>2020-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument', '0014-00000061'],
    ['ExpiredObjectDeleteMarker true beside Days', lifecycle(expiring('<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>')), 400, 'InvalidArgument', '0014-00000061'],
    ['ExpiredObjectDeleteMarker false alone', lifecycle(expiring('<Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>')), 400, 'InvalidArgument', '0014-00000060'],
    ['Days of 0', lifecycle(expiring('<Expiration><Days>0</Days></Expiration>')), 400, 'InvalidArgument', '0014-00000086'],
    ['Days of -100', lifecycle(expiring('<Expiration><Days>-100</Days></Expiration>')), 400, 'InvalidArgument', '0014-00000086'],
    ['a date that is not midnight UTC', lifecycle(expiring('<Expiration><CreatedBeforeDate>2022-12-08</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument', '0014-00000087'],
    ['a day that does not exist', lifecycle(expiring('<Expiration><Date>2015-02-30T00:00:00.000Z</Date></Expiration>')), 400, 'InvalidArgument', '0014-00000087'],
    ['a month that does not exist', lifecycle(expiring('<Expiration><Date>2015-13-01T00:00:00.000Z</Date></Expiration>')), 400, 'InvalidArgument', '0014-00000087'],
    ['Transition with Days and CreatedBeforeDate', lifecycle(expiring('<Transition><Days>1</Days><CreatedBeforeDate>2020-01-01T00:00:00.000Z</CreatedBeforeDate><StorageClass>IA</StorageClass></Transition>')), 400, 'InvalidArgument', '0014-00000050'],
    ['IsAccessTime without ReturnToStdWhenVisit', lifecycle(expiring('<Transition><Days>30</Days><StorageClass>IA</StorageClass><IsAccessTime>true</IsAccessTime></Transition>')), 400, 'InvalidArgument', '0014-00000052'],
    ['a flag that is not true or false', lifecycle(expiring('<Transition><Days>30</Days><StorageClass>IA</StorageClass><IsAccessTime>yes</IsAccessTime></Transition>')), 400, 'InvalidArgument', '0014-00000090'],
    ['AtimeBase, which only GET shows, in a Transition', lifecycle(expiring('<Transition><Days>30</Days><StorageClass>IA</StorageClass><AtimeBase>100</AtimeBase></Transition>')), 400, 'MalformedXML', '0014-00000017'],
    ['two Not in one Filter', lifecycle(expiring('<Expiration><Days>1</Days></Expiration><Filter><Not><Prefix>p/a</Prefix></Not><Not><Prefix>p/b</Prefix></Not></Filter>')), 400, 'MalformedXML', '0014-00000089'],
    ['ObjectSizeGreaterThan above ObjectSizeLessThan', lifecycle(expiring('<Expiration><Days>1</Days></Expiration><Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter>')), 400, 'InvalidArgument', '0014-00000041'],
    ['two rules on one prefix with the same action', lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'p/', 'a'), expiring('<Expiration><Days>2</Days></Expiration>', 'p/', 'b')), 400, 'InvalidArgument', '0014-00000085'],
    ['overlapping prefixes with the same action', lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'test', 'a'), expiring('<Expiration><Days>2</Days></Expiration>', 'test/log', 'b')), 400, 'InvalidArgument', '0014-00000084'],
    ['overlapping prefixes moving to one class', lifecycle(expiring('<Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>', 'test', 'a'), expiring('<Transition><Days>60</Days><StorageClass>IA</StorageClass></Transition>', 'test/log', 'b')), 400, 'InvalidArgument', '0014-00000079'],
    ['days- and date-based actions mixed in a rule', lifecycle(expiring('<Expiration><CreatedBeforeDate>2016-12-25T00:00:00.000Z</CreatedBeforeDate></Expiration><Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>')), 400, 'InvalidRequest', '0014-00000080'],
  ])('%s → %i %s (EC %s)', async (_case, body, status, code, ec) => {
    expectError(await put('lifecycle', body), status, code, { ec });
  });

  it.each([
    ['a transition later than the expiration', '<Expiration><Days>3</Days></Expiration><Transition><Days>4</Days><StorageClass>IA</StorageClass></Transition>'],
    ['Archive before IA', '<Transition><Days>5</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>2</Days><StorageClass>Archive</StorageClass></Transition>'],
    ['a transition to Standard', '<Transition><Days>5</Days><StorageClass>Standard</StorageClass></Transition>'],
    ['a tag with AbortMultipartUpload', '<Tag><Key>k</Key><Value>v</Value></Tag><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>'],
  ])("%s → 400 InvalidArgument (oss2's and the Java SDK's tests against OSS)", async (_case, actions) => {
    expectError(await put('lifecycle', lifecycle(expiring(actions))), 400, 'InvalidArgument');
  });

  it('what OSS accepts: dates in the past, date-based transitions after the expiration, prefix-only rules side by side, overlap when allowed', async () => {
    for (const body of [
      lifecycle(expiring('<Expiration><Days>357</Days></Expiration><Transition><Days>355</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>356</Days><StorageClass>Archive</StorageClass></Transition>')),
      lifecycle(expiring('<Expiration><CreatedBeforeDate>2020-02-17T00:00:00.000Z</CreatedBeforeDate></Expiration><Transition><CreatedBeforeDate>2020-02-18T00:00:00.000Z</CreatedBeforeDate><StorageClass>Archive</StorageClass></Transition>')),
      lifecycle(expiring('<Expiration><Days>30</Days></Expiration><AbortMultipartUpload><CreatedBeforeDate>2020-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload>')),
      lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'logs/', 'a'), expiring('<AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>', 'logs/', 'b')),
      lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', '', 'empty-prefix'), expiring('<Expiration><Days>1</Days></Expiration>', 'x/', 'tagged') .replace('<Status>', '<Tag><Key>k</Key><Value>v</Value></Tag><Status>')),
    ]) {
      expectEmptySuccess(await put('lifecycle', body));
    }
    // The Go SDK v2 sends a false marker beside the days: no second property.
    expectEmptySuccess(await put('lifecycle', lifecycle(expiring('<Expiration><Days>40</Days><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>'))));
    expect(documentOf(await get('lifecycle'))).toContain('<Expiration><Days>40</Days></Expiration>');
    const overlapping = lifecycle(expiring('<Expiration><Days>1</Days></Expiration>', 'test', 'a'), expiring('<Expiration><Days>2</Days></Expiration>', 'test/log', 'b'));
    expectEmptySuccess(await put('lifecycle', overlapping, B, { 'x-oss-allow-same-action-overlap': 'true' }));
  });

  it('a refused PUT leaves the rules as they were; garbage is MalformedXML', async () => {
    expectEmptySuccess(await put('lifecycle', lifecycle(BY_DAYS)));
    expectError(await put('lifecycle', lifecycle(expiring('<Expiration><Days>0</Days></Expiration>'))), 400, 'InvalidArgument');
    expectError(await put('lifecycle', '<This is a bad xml></bad as I am>'), 400, 'MalformedXML');
    expectError(await put('lifecycle', ''), 400, 'MalformedXML');
    expect(documentOf(await get('lifecycle'))).toBe(`<LifecycleConfiguration>${BY_DAYS}</LifecycleConfiguration>`);
  });
});

describe('PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite', () => {
  it('put, get, replace, delete: a suffix without a dot is fine (the Go SDK test), an empty error Key is no error document', async () => {
    expectError(await get('website'), 404, 'NoSuchWebsiteConfiguration');
    expectEmptySuccess(await put('website', '<WebsiteConfiguration><IndexDocument><Suffix>myindex</Suffix></IndexDocument><ErrorDocument><Key>myerror</Key></ErrorDocument></WebsiteConfiguration>'));
    expect(documentOf(await get('website'))).toBe('<WebsiteConfiguration><IndexDocument><Suffix>myindex</Suffix></IndexDocument><ErrorDocument><Key>myerror</Key></ErrorDocument></WebsiteConfiguration>');
    expectEmptySuccess(await put('website', '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key></Key></ErrorDocument></WebsiteConfiguration>'));
    expect(documentOf(await get('website'))).toBe('<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>');
    expectEmptySuccess(await remove('website'), 204);
    expectEmptySuccess(await remove('website'), 204);
    expectError(await get('website'), 404, 'NoSuchWebsiteConfiguration');
  });

  it("every part: SupportSubDir (oss2's True), Type, HttpStatus and routing rules in RuleNumber order, kept as sent", async () => {
    const rule = (n: number, prefix: string): string =>
      `<RoutingRule><RuleNumber>${n}</RuleNumber><Condition><KeyPrefixEquals>${prefix}</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>` +
      `<Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://example.com/</MirrorURL><PassQueryString>true</PassQueryString></Redirect></RoutingRule>`;
    const body =
      '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix><SupportSubDir>True</SupportSubDir><Type>1</Type></IndexDocument>' +
      `<ErrorDocument><Key>error.html</Key><HttpStatus>404</HttpStatus></ErrorDocument><RoutingRules>${rule(2, 'b/')}${rule(1, 'a/')}</RoutingRules></WebsiteConfiguration>`;
    expectEmptySuccess(await put('website', body));
    expect(documentOf(await get('website'))).toBe(
      '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix><SupportSubDir>true</SupportSubDir><Type>1</Type></IndexDocument>' +
        `<ErrorDocument><Key>error.html</Key><HttpStatus>404</HttpStatus></ErrorDocument><RoutingRules>${rule(1, 'a/')}${rule(2, 'b/')}</RoutingRules></WebsiteConfiguration>`,
    );
  });

  it.each([
    ['a suffix with a slash', '<IndexDocument><Suffix>a/index.html</Suffix></IndexDocument>', 'Suffix'],
    ['an empty suffix', '<IndexDocument><Suffix></Suffix></IndexDocument>', 'Suffix'],
    ['HttpStatus other than 200 or 404', '<IndexDocument><Suffix>i.html</Suffix></IndexDocument><ErrorDocument><Key>e.html</Key><HttpStatus>test</HttpStatus></ErrorDocument>', 'HttpStatus'],
    ['a Type other than 0, 1 or 2', '<IndexDocument><Suffix>i.html</Suffix><Type>3</Type></IndexDocument>', 'Type'],
    ['two rules with one number', '<RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition/><Redirect/></RoutingRule><RoutingRule><RuleNumber>1</RuleNumber><Condition/><Redirect/></RoutingRule></RoutingRules>', 'RuleNumber'],
  ])('%s → 400 InvalidArgument "<name> is Invalid", EC 0019-00000002', async (_case, inner, name) => {
    const error = expectError(await put('website', `<WebsiteConfiguration>${inner}</WebsiteConfiguration>`), 400, 'InvalidArgument', { ec: '0019-00000002', message: `${name} is Invalid` });
    expect(error['ArgumentName']).toBe(name);
  });

  it('a configuration with nothing in it → 400 MalformedXML', async () => {
    expectError(await put('website', '<WebsiteConfiguration></WebsiteConfiguration>'), 400, 'MalformedXML');
  });
});

describe('PutBucketReferer, GetBucketReferer, and hotlink protection', () => {
  const referer = (allowEmpty: string, list: string[], extra = ''): string =>
    `<RefererConfiguration><AllowEmptyReferer>${allowEmpty}</AllowEmptyReferer>${extra}<RefererList>${list.map((r) => `<Referer>${r}</Referer>`).join('')}</RefererList></RefererConfiguration>`;
  const DEFAULT = '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList></RefererList></RefererConfiguration>';

  it('put and get back in order, duplicates and non-URLs kept (oss2), an empty <Referer> dropped (the Go SDK sends one), switched off again', async () => {
    expect(documentOf(await get('referer'))).toBe(DEFAULT);
    expectEmptySuccess(await put('referer', referer('false', ['http://www.aliyun.com', 'https://www.aliyun.com', 'mibrowser:home', 'mibrowser:home', ''])));
    expect(documentOf(await get('referer'))).toBe(
      referer('false', ['http://www.aliyun.com', 'https://www.aliyun.com', 'mibrowser:home', 'mibrowser:home']),
    );
    expectEmptySuccess(await put('referer', '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList/></RefererConfiguration>'));
    expect(documentOf(await get('referer'))).toBe(DEFAULT);
  });

  it('the newer elements come back only when sent, in OSS order; TruncatePath needs AllowTruncateQueryString', async () => {
    const body =
      '<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><AllowTruncateQueryString>true</AllowTruncateQueryString><TruncatePath>true</TruncatePath>' +
      '<RefererList><Referer>http://*.example.com</Referer></RefererList><RefererBlacklist><Referer>http://bad.example.com</Referer></RefererBlacklist></RefererConfiguration>';
    expectEmptySuccess(await put('referer', body));
    expect(documentOf(await get('referer'))).toBe(body);
    expectError(await put('referer', referer('true', [], '<AllowTruncateQueryString>false</AllowTruncateQueryString><TruncatePath>true</TruncatePath>')), 400, 'InvalidArgument');
    expectError(await put('referer', referer('maybe', [])), 400, 'InvalidArgument');
    expectError(await put('referer', '<RefererConfiguration><RefererList/></RefererConfiguration>'), 400, 'MalformedXML');
  });

  describe('enforcement: only requests without an Authorization header (anonymous, presigned URLs), whatever the ACL', () => {
    const OPEN = 'configs-referer-open';
    const read = (headers: Record<string, string>): Promise<OssResponse> => oss.send({ method: 'GET', bucket: OPEN, key: 'pic.png', auth: 'none', headers });
    const deniedWith = (res: OssResponse, ec: string): void => {
      expectError(res, 403, 'AccessDenied', { ec, message: 'You are denied by bucket referer policy.' });
    };

    beforeEach(async () => {
      expect((await oss.send({ method: 'PUT', bucket: OPEN, headers: { 'x-oss-acl': 'public-read' } })).status).toBe(200);
      expect((await oss.send({ method: 'PUT', bucket: OPEN, key: 'pic.png', body: 'png' })).status).toBe(200);
    });

    it('whitelist with wildcards (the whole Referer, path and all), empty Referer refused unless allowed, blacklist first; header-signed requests pass', async () => {
      expect((await read({})).status).toBe(200);
      const rules = '<RefererList><Referer>http://*.example.com/*</Referer><Referer>https://?.example.org/app/*</Referer></RefererList><RefererBlacklist><Referer>http://evil.example.com</Referer></RefererBlacklist>';
      expectEmptySuccess(await put('referer', `<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>${rules}</RefererConfiguration>`, OPEN));

      expect((await read({ Referer: 'http://www.example.com/page?x=1' })).status).toBe(200);
      expect((await read({ Referer: 'HTTP://WWW.EXAMPLE.COM/' })).status).toBe(200);
      expect((await read({ Referer: 'https://a.example.org/app/index.html' })).status).toBe(200);
      deniedWith(await read({ Referer: 'https://ab.example.org/app/index.html' }), '0003-00000503');
      deniedWith(await read({ Referer: 'http://example.com/' }), '0003-00000503');
      deniedWith(await read({}), '0003-00000501');
      deniedWith(await read({ Referer: 'http://evil.example.com' }), '0003-00000502');
      // A presigned URL is checked too; a request signed in its header is not.
      const presigned = (headers: Record<string, string>): Promise<OssResponse> => {
        const req = { method: 'GET', bucket: OPEN, key: 'pic.png', auth: 'none' } as const;
        return oss.send({ ...req, headers, query: presignV1(req, Math.floor(Date.now() / 1000) + 600) });
      };
      deniedWith(await presigned({}), '0003-00000501');
      expect((await presigned({ Referer: 'http://www.example.com/' })).status).toBe(200);
      expect((await oss.send({ method: 'GET', bucket: OPEN, key: 'pic.png' })).status).toBe(200);

      // An empty Referer where allowed; and an empty whitelist checks nothing.
      expectEmptySuccess(await put('referer', `<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer>${rules}</RefererConfiguration>`, OPEN));
      expect((await read({})).status).toBe(200);
      expectEmptySuccess(await put('referer', '<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList/></RefererConfiguration>', OPEN));
      expect((await read({})).status).toBe(200);
      expect((await read({ Referer: 'http://anywhere.test/' })).status).toBe(200);
    });

    it('the query string is compared only with AllowTruncateQueryString false; TruncatePath compares scheme and host', async () => {
      const configure = (extra: string, pattern: string): Promise<OssResponse> =>
        put('referer', `<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>${extra}<RefererList><Referer>${pattern}</Referer></RefererList></RefererConfiguration>`, OPEN);
      expectEmptySuccess(await configure('', 'http://site.test/page'));
      expect((await read({ Referer: 'http://site.test/page?from=mail' })).status).toBe(200);
      expectEmptySuccess(await configure('<AllowTruncateQueryString>false</AllowTruncateQueryString>', 'http://site.test/page'));
      deniedWith(await read({ Referer: 'http://site.test/page?from=mail' }), '0003-00000503');
      expectEmptySuccess(await configure('<AllowTruncateQueryString>true</AllowTruncateQueryString><TruncatePath>true</TruncatePath>', 'http://site.test'));
      expect((await read({ Referer: 'http://site.test/any/path?q=1' })).status).toBe(200);
    });

    it('a pattern of many stars against a Referer that nearly matches is answered at once (no backtracking)', async () => {
      const pattern = `${'*a'.repeat(25)}b`;
      expectEmptySuccess(await put('referer', `<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList><Referer>${pattern}</Referer></RefererList></RefererConfiguration>`, OPEN));
      const started = Date.now();
      deniedWith(await read({ Referer: 'a'.repeat(40) }), '0003-00000503');
      expect((await read({ Referer: `${'a'.repeat(40)}b` })).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('an anonymous copy cannot read past the source bucket\'s hotlink protection', async () => {
      const OTHER = 'configs-referer-copy';
      expect((await oss.send({ method: 'PUT', bucket: OTHER, headers: { 'x-oss-acl': 'public-read-write' } })).status).toBe(200);
      expectEmptySuccess(await put('referer', '<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList><Referer>http://good/*</Referer></RefererList></RefererConfiguration>', OPEN));
      const copy = (headers: Record<string, string>): Promise<OssResponse> =>
        oss.send({ method: 'PUT', bucket: OTHER, key: 'stolen', auth: 'none', headers: { 'x-oss-copy-source': `/${OPEN}/pic.png`, ...headers } });
      deniedWith(await copy({}), '0003-00000501');
      expect((await oss.send({ method: 'GET', bucket: OTHER, key: 'stolen' })).status).toBe(404);
      expect((await copy({ Referer: 'http://good/page' })).status).toBe(200);
    });
  });
});

describe('PutBucketLogging, GetBucketLogging, DeleteBucketLogging', () => {
  const logging = (target: string, prefix?: string, role?: string): string =>
    `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket>${prefix !== undefined ? `<TargetPrefix>${prefix}</TargetPrefix>` : ''}${role !== undefined ? `<LoggingRole>${role}</LoggingRole>` : ''}</LoggingEnabled></BucketLoggingStatus>`;

  it('to itself or another bucket; off with an empty document; GET shows it, GetBucketInfo too; DELETE 204 twice', async () => {
    expect(documentOf(await get('logging'))).toBe('<BucketLoggingStatus></BucketLoggingStatus>');
    expectEmptySuccess(await put('logging', logging(B, '日志+/')));
    expect(documentOf(await get('logging'))).toBe(`<BucketLoggingStatus><LoggingEnabled><TargetBucket>${B}</TargetBucket><TargetPrefix>日志+/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`);
    const info = parseXml((await get('bucketInfo')).text) as { BucketInfo: { Bucket: { BucketPolicy: unknown } } };
    expect(info.BucketInfo.Bucket.BucketPolicy).toEqual({ LogBucket: B, LogPrefix: '日志+/' });

    const target = 'configs-log-target';
    expect((await oss.send({ method: 'PUT', bucket: target })).status).toBe(200);
    // ali-oss leaves TargetPrefix out; the Go SDK v2 may name a LoggingRole.
    expectEmptySuccess(await put('logging', logging(target, undefined, 'AliyunOSSLoggingDefaultRole')));
    expect(documentOf(await get('logging'))).toBe(
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix></TargetPrefix><LoggingRole>AliyunOSSLoggingDefaultRole</LoggingRole></LoggingEnabled></BucketLoggingStatus>`,
    );
    expectEmptySuccess(await put('logging', '<BucketLoggingStatus></BucketLoggingStatus>'));
    expect(documentOf(await get('logging'))).toBe('<BucketLoggingStatus></BucketLoggingStatus>');
    expectEmptySuccess(await put('logging', logging(target, 'x/')));
    expectEmptySuccess(await remove('logging'), 204);
    expectEmptySuccess(await remove('logging'), 204);
    expect(documentOf(await get('logging'))).toBe('<BucketLoggingStatus></BucketLoggingStatus>');
  });

  it('only an empty document turns logging off: a misspelt LoggingEnabled, or text, is MalformedXML and changes nothing', async () => {
    expectEmptySuccess(await put('logging', logging(B, 'kept/')));
    for (const body of [
      `<BucketLoggingStatus><LoggingEnable><TargetBucket>${B}</TargetBucket></LoggingEnable></BucketLoggingStatus>`,
      '<BucketLoggingStatus>1</BucketLoggingStatus>',
      '<BucketLoggingStatus><toString/></BucketLoggingStatus>',
    ]) {
      expectError(await put('logging', body), 400, 'MalformedXML');
    }
    expect(documentOf(await get('logging'))).toContain('<TargetPrefix>kept/</TargetPrefix>');
  });

  it.each([
    ['a target that does not exist', logging('configs-no-such-bucket', 'p'), 'InvalidTargetBucketForLogging', '0032-00000008'],
    ['a target name that is no bucket name (upper case)', logging('XXXX', 'p'), 'InvalidTargetBucketForLogging', '0032-00000004'],
    ['a target name that is too short', logging('xx', 'p'), 'InvalidTargetBucketForLogging', '0032-00000004'],
    ['an empty target', logging('', 'p'), 'InvalidTargetBucketForLogging', '0032-00000003'],
    ['no target', '<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>', 'InvalidTargetBucketForLogging', '0032-00000002'],
    ['a prefix starting with /', logging(B, '/abc'), 'InvalidArgument', '0032-00000005'],
    ['a prefix over 256 characters', logging(B, 'p'.repeat(257)), 'InvalidArgument', '0032-00000006'],
  ])('%s → 400 %s (EC %s)', async (_case, body, code, ec) => {
    expectError(await put('logging', body), 400, code, { ec });
  });
});

describe('PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption, and the default it sets', () => {
  const rule = (algorithm: string, keyId?: string, data?: string): string =>
    `<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${algorithm}</SSEAlgorithm>${keyId !== undefined ? `<KMSMasterKeyID>${keyId}</KMSMasterKeyID>` : ''}${data !== undefined ? `<KMSDataEncryption>${data}</KMSDataEncryption>` : ''}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>`;
  const sse = (res: OssResponse): Record<string, string | undefined> => ({
    algorithm: res.headers['x-oss-server-side-encryption'],
    data: res.headers['x-oss-server-side-data-encryption'],
    key: res.headers['x-oss-server-side-encryption-key-id'],
  });
  const bucketInfoRule = async (): Promise<unknown> =>
    (parseXml((await get('bucketInfo')).text) as { BucketInfo: { Bucket: { ServerSideEncryptionRule: unknown } } }).BucketInfo.Bucket.ServerSideEncryptionRule;

  it("what is echoed (oss2's and the Java SDK's tests against OSS): an empty key is none, KMSDataEncryption kept with KMS only", async () => {
    expectError(await get('encryption'), 404, 'NoSuchServerSideEncryptionRule');
    expect(await bucketInfoRule()).toEqual({ SSEAlgorithm: 'None' });
    const cases: Array<[string, string]> = [
      [rule('AES256', ''), rule('AES256')],
      [rule('AES256', undefined, 'SM4'), rule('AES256')],
      [rule('SM4', undefined, 'SM4'), rule('SM4')],
      [rule('KMS'), rule('KMS')],
      [rule('KMS', '', 'SM4'), rule('KMS', undefined, 'SM4')],
      [rule('KMS', 'test_wrong', 'SM4'), rule('KMS', 'test_wrong', 'SM4')],
    ];
    for (const [sent, shown] of cases) {
      expectEmptySuccess(await put('encryption', sent));
      expect(documentOf(await get('encryption'))).toBe(shown);
    }
    expect(await bucketInfoRule()).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'test_wrong', KMSDataEncryption: 'SM4' });
    expectEmptySuccess(await remove('encryption'), 204);
    expectEmptySuccess(await remove('encryption'), 204);
    expectError(await get('encryption'), 404, 'NoSuchServerSideEncryptionRule');
    expect(await bucketInfoRule()).toEqual({ SSEAlgorithm: 'None' });
  });

  it.each([
    ['an algorithm OSS does not have', rule('random'), 'InvalidEncryptionAlgorithmError', '0005-00000003'],
    ['a key with AES256', rule('AES256', 'test'), 'InvalidArgument', '0005-00000204'],
    ['a data algorithm other than SM4', rule('KMS', undefined, 'AES256'), 'InvalidArgument', '0005-00000203'],
  ])('%s → 400 %s', async (_case, body, code, ec) => {
    expectError(await put('encryption', body), 400, code, { ec });
  });

  it('no ApplyServerSideEncryptionByDefault → 400 MalformedXML', async () => {
    expectError(await put('encryption', '<ServerSideEncryptionRule></ServerSideEncryptionRule>'), 400, 'MalformedXML');
  });

  it('objects written without x-oss-server-side-encryption take the default (put, append, multipart, copy); a header still decides', async () => {
    const BUCKET = 'configs-sse';
    expect((await oss.send({ method: 'PUT', bucket: BUCKET })).status).toBe(200);
    expectEmptySuccess(await put('encryption', rule('KMS', 'key-1'), BUCKET));
    const written = await oss.send({ method: 'PUT', bucket: BUCKET, key: 'put', body: 'x' });
    expect(sse(written)).toEqual({ algorithm: 'KMS', data: undefined, key: 'key-1' });
    expect(sse(await oss.send({ method: 'HEAD', bucket: BUCKET, key: 'put' }))).toEqual({ algorithm: 'KMS', data: undefined, key: 'key-1' });
    // An appendable object cannot have a KMS key of one's choosing (OSS's AppendObject "Limits"), the bucket's included.
    const keyed = expectError(await oss.send({ method: 'POST', bucket: BUCKET, key: 'append', query: 'append&position=0', body: 'x' }), 400, 'InvalidArgument');
    expect(keyed['ArgumentName']).toBe('KMSMasterKeyID');
    expect(sse(await oss.send({ method: 'POST', bucket: BUCKET, key: 'mp', query: 'uploads' }))).toEqual({ algorithm: 'KMS', data: undefined, key: 'key-1' });
    expect(sse(await oss.send({ method: 'PUT', bucket: BUCKET, key: 'copy', headers: { 'x-oss-copy-source': `/${BUCKET}/put` } }))).toEqual({ algorithm: 'KMS', data: undefined, key: 'key-1' });
    const own = await oss.send({ method: 'PUT', bucket: BUCKET, key: 'own', body: 'x', headers: { 'x-oss-server-side-encryption': 'AES256' } });
    expect(sse(own)).toEqual({ algorithm: 'AES256', data: undefined, key: undefined });
    expect(sse(await oss.send({ method: 'POST', bucket: BUCKET, key: 'append', query: 'append&position=0', body: 'x', headers: { 'x-oss-server-side-encryption': 'SM4' } }))).toEqual({ algorithm: 'SM4', data: undefined, key: undefined });
    expectEmptySuccess(await put('encryption', rule('KMS', undefined, 'SM4'), BUCKET));
    expect(sse(await oss.send({ method: 'POST', bucket: BUCKET, key: 'append2', query: 'append&position=0', body: 'x' }))).toEqual({ algorithm: 'KMS', data: 'SM4', key: undefined });
    // Objects written before the rule, or after it is gone, are not encrypted.
    expectEmptySuccess(await remove('encryption', BUCKET), 204);
    expect(sse(await oss.send({ method: 'PUT', bucket: BUCKET, key: 'after', body: 'x' }))).toEqual({ algorithm: undefined, data: undefined, key: undefined });
    expect(sse(await oss.send({ method: 'HEAD', bucket: BUCKET, key: 'put' })).algorithm).toBe('KMS');
  });
});

describe('PutBucketTags, GetBucketTags, DeleteBucketTags, and ListBuckets by tag', () => {
  const tagging = (...tags: Array<[string, string]>): string =>
    `<Tagging><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

  it('put replaces, get in the order sent, delete some by name or all (204)', async () => {
    expect(documentOf(await get('tagging'))).toBe('<Tagging><TagSet></TagSet></Tagging>');
    expectEmptySuccess(await put('tagging', tagging(['old', '1'])));
    expectEmptySuccess(await put('tagging', tagging(['k1', 'v1'], ['%@abc', '++123%'], ['k3', ''], ['k4', 'v4'], ['k5', 'v5'])));
    expect(documentOf(await get('tagging'))).toBe(
      '<Tagging><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>%@abc</Key><Value>++123%</Value></Tag><Tag><Key>k3</Key><Value></Value></Tag><Tag><Key>k4</Key><Value>v4</Value></Tag><Tag><Key>k5</Key><Value>v5</Value></Tag></TagSet></Tagging>',
    );
    expectEmptySuccess(await remove('tagging=k1'), 204);
    expectEmptySuccess(await remove('tagging=k3%2Ck4,nope'), 204);
    expect(documentOf(await get('tagging'))).toBe('<Tagging><TagSet><Tag><Key>%@abc</Key><Value>++123%</Value></Tag><Tag><Key>k5</Key><Value>v5</Value></Tag></TagSet></Tagging>');
    expectEmptySuccess(await remove('tagging'), 204);
    expect(documentOf(await get('tagging'))).toBe('<Tagging><TagSet></TagSet></Tagging>');
  });

  it.each([
    ['an empty TagSet (the Swift SDK test)', tagging(), 'MalformedXML', undefined],
    ['21 tags', tagging(...Array.from({ length: 21 }, (_, i): [string, string] => [`k${i}`, 'v'])), 'InvalidArgument', '0010-00000219'],
    ['a key of 65 bytes', tagging(['k'.repeat(65), 'v']), 'InvalidArgument', '0010-00000219'],
    ['a value of 129 bytes', tagging(['k', 'v'.repeat(129)]), 'InvalidArgument', '0010-00000219'],
    ['an empty key', tagging(['', 'v']), 'InvalidArgument', '0010-00000219'],
    ['a key starting with Aliyun', tagging(['Aliyun-abc', 'v']), 'InvalidArgument', '0010-00000207'],
    ['a key starting with https://', tagging(['https://a', 'v']), 'InvalidArgument', '0010-00000207'],
    ['a key starting with acs:', tagging(['acs:abc', 'v']), 'InvalidArgument', '0010-00000002'],
    ['one key twice', tagging(['k', '1'], ['k', '2']), 'InvalidArgument', '0010-00000219'],
  ])('%s → 400 %s', async (_case, body, code, ec) => {
    expectError(await put('tagging', body), 400, code, ec !== undefined ? { ec } : {});
  });

  it('ListBuckets with tag-key (and tag-value) lists the buckets with that tag, matched exactly', async () => {
    for (const [bucket, tags] of [
      ['configs-tag-a', [['team', 'blue'], ['env', 'ci']]],
      ['configs-tag-b', [['team', 'red']]],
      ['configs-tag-c', [['teams', 'blue']]],
    ] as Array<[string, Array<[string, string]>]>) {
      expect((await oss.send({ method: 'PUT', bucket })).status).toBe(200);
      expectEmptySuccess(await put('tagging', tagging(...tags), bucket));
    }
    const names = async (query: string): Promise<string[]> => {
      const res = await oss.send({ method: 'GET', query });
      expect(res.status, res.text).toBe(200);
      return [...res.text.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]!);
    };
    expect(await names('tag-key=team')).toEqual(['configs-tag-a', 'configs-tag-b']);
    expect(await names('tag-key=team&tag-value=blue')).toEqual(['configs-tag-a']);
    expect(await names('tag-key=team&max-keys=1')).toEqual(['configs-tag-a']);
    expect(await names('tag-key=nobody')).toEqual([]);
  });
});

describe('every configuration', () => {
  const BODIES: Record<string, string> = {
    lifecycle: '<LifecycleConfiguration><Rule><ID>r</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>',
    website: '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>',
    referer: '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList><Referer>http://a.test</Referer></RefererList></RefererConfiguration>',
    logging: `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${B}</TargetBucket><TargetPrefix>log/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
    encryption: '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>',
    tagging: '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>',
  };

  it('a control character (which an answer could not carry) → 400 InvalidArgument; text beside elements → 400 MalformedXML; nothing kept', async () => {
    const withControl: Record<string, string> = {
      tagging: '<Tagging><TagSet><Tag><Key>k&#x1;</Key><Value>v</Value></Tag></TagSet></Tagging>',
      referer: '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList><Referer>a&#x2;b</Referer></RefererList></RefererConfiguration>',
      logging: `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${B}</TargetBucket><TargetPrefix>a&#x2;b</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
      website: '<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a&#x1f;</KeyPrefixEquals></Condition><Redirect/></RoutingRule></RoutingRules></WebsiteConfiguration>',
      lifecycle: '<LifecycleConfiguration><Rule><ID>r&#x8;</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>',
    };
    for (const [query, body] of Object.entries(withControl)) expectError(await put(query, body), 400, 'InvalidArgument');
    const mixed = [
      ['lifecycle', BODIES['lifecycle']!.replace('<Rule>', 'junk<Rule>')],
      ['lifecycle', BODIES['lifecycle']!.replace('<Status>', 'junk<Status>')],
      ['website', '<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition/><Redirect><Y><Z>a</Z>mixed</Y></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>'],
      ['tagging', '<Tagging>junk</Tagging>'],
    ];
    for (const [query, body] of mixed) expectError(await put(query!, body!), 400, 'MalformedXML');
    expect(documentOf(await get('tagging'))).toBe('<Tagging><TagSet></TagSet></Tagging>');
    expectError(await get('lifecycle'), 404, 'NoSuchLifecycle');
    // A tab, a line feed and spaces are text like any other; a key prefix keeps its spaces.
    expectEmptySuccess(await put('lifecycle', BODIES['lifecycle']!.replace('<Prefix></Prefix>', '<Prefix> spaced\t</Prefix>')));
    expect((await get('lifecycle')).text).toContain('<Prefix> spaced\t</Prefix>');
  });

  it('PUT on a missing bucket → 404 NoSuchBucket, before the body is read; anonymously → 403 AccessDenied', async () => {
    for (const [query, body] of Object.entries(BODIES)) {
      expectError(await put(query, body, 'configs-no-such-bucket'), 404, 'NoSuchBucket');
      expectError(await put(query, 'not even xml', 'configs-no-such-bucket'), 404, 'NoSuchBucket');
      expectError(await oss.send({ method: 'PUT', bucket: B, query, body, auth: 'none' }), 403, 'AccessDenied');
    }
  });

  it('a RAM user needs the action: oss:PutBucketTagging for PutBucketTags (not oss:PutBucketTags), and so on', async () => {
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutBucketTagging', 'oss:GetBucketLifecycle'], Resource: `acs:oss:*:*:${B}` }] };
    const { emu: ram, oss: client } = await startTestEmulator({ buckets: [B], ramUsers: [{ name: 'tagger', accessKeyId: 'tagger-key', accessKeySecret: 'tagger-secret', policies: [policy] }] });
    try {
      const as = (method: 'PUT' | 'GET' | 'DELETE', query: string, body?: string): Promise<OssResponse> =>
        client.send({ method, bucket: B, query, body, accessKeyId: 'tagger-key', secret: 'tagger-secret' });
      expectEmptySuccess(await as('PUT', 'tagging', BODIES['tagging']));
      expectError(await as('GET', 'tagging'), 403, 'AccessDenied');
      expectError(await as('DELETE', 'tagging'), 403, 'AccessDenied');
      expectError(await as('GET', 'lifecycle'), 404, 'NoSuchLifecycle');
      for (const [query, body] of Object.entries(BODIES)) {
        if (query !== 'tagging') expectError(await as('PUT', query, body), 403, 'AccessDenied');
      }
    } finally {
      await ram.close();
    }
  });

  it('all kept across a restart, and gone with their bucket', async () => {
    const KEPT = 'configs-kept';
    await acrossRestart(
      [KEPT],
      async (client) => {
        for (const [query, body] of Object.entries(BODIES)) {
          const res = await client.send({ method: 'PUT', bucket: KEPT, query, body: body.replace(`>${B}<`, `>${KEPT}<`) });
          expect(res.status, res.text).toBe(200);
        }
      },
      async (client) => {
        for (const query of Object.keys(BODIES)) {
          const res = await client.send({ method: 'GET', bucket: KEPT, query });
          expect(res.status, res.text).toBe(200);
          expect(documentOf(res)).toBe(BODIES[query]!.replace(`>${B}<`, `>${KEPT}<`));
        }
        expect((await client.send({ method: 'DELETE', bucket: KEPT })).status).toBe(204);
        expect((await client.send({ method: 'PUT', bucket: KEPT })).status).toBe(200);
        expectError(await client.send({ method: 'GET', bucket: KEPT, query: 'lifecycle' }), 404, 'NoSuchLifecycle');
        expect(documentOf(await client.send({ method: 'GET', bucket: KEPT, query: 'tagging' }))).toBe('<Tagging><TagSet></TagSet></Tagging>');
      },
    );
  });
});
