# The calls GitLab's object storage makes through fog-aliyun (Debian ruby-fog-aliyun), against the
# emulator used as the client's HTTP proxy: the way README.md tells users of clients that only
# build <bucket>.<endpoint> URLs to reach it.
#
# Env: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSSEMU_PROXY=http://127.0.0.1:<port>,
# SCRATCH (a folder for a file to upload). Prints one line per step and OK at the end; exits 1 at
# the first failure. No signed URL: fog-aliyun 0.3's `file.url` calls URI.encode, which Ruby 3 removed.
require 'digest'
require 'fog/aliyun'
require 'uri'

$stdout.sync = true
BUCKET = ENV.fetch('OSS_BUCKET')
PROXY = URI(ENV.fetch('OSSEMU_PROXY'))

def step(name)
  yield
  puts "ok   #{name}"
rescue StandardError => e
  response = e.respond_to?(:response) && e.response ? " (HTTP #{e.response.status}: #{e.response.body.to_s[0, 300]})" : ''
  puts "FAIL #{name}: #{e.class}: #{e.message.to_s.lines.first.to_s.strip}#{response}"
  exit 1
end

def expect_equal(actual, expected, what)
  raise "#{what}: expected #{expected.inspect}, got #{actual.inspect}" unless actual == expected
end

# No endpoint: fog builds https://<bucket>.oss-<region>.aliyuncs.com, sent to the proxy as plain
# HTTP (fog-aliyun 0.3 uses http:// unless the endpoint says otherwise).
storage = Fog::Storage.new(
  provider: 'aliyun',
  aliyun_accesskey_id: ENV.fetch('OSS_ACCESS_KEY_ID'),
  aliyun_accesskey_secret: ENV.fetch('OSS_ACCESS_KEY_SECRET'),
  aliyun_oss_bucket: BUCKET,
  aliyun_region_id: 'cn-hangzhou',
  connection_options: { proxy: PROXY.to_s },
)

step('list_buckets names the bucket') do
  names = storage.list_buckets['Bucket'].map { |b| b['Name'][0] }
  raise "#{BUCKET} not in #{names.inspect}" unless names.include?(BUCKET)
end

# fog-aliyun's getters accept 404 as "none configured", which is what OSS answers for a bucket without one.
step('get_bucket_CORSRules, get_bucket_lifecycle, get_bucket_website: none configured') do
  expect_equal(storage.get_bucket_CORSRules(BUCKET), nil, 'CORS rules')
  expect_equal(storage.get_bucket_lifecycle(BUCKET), nil, 'lifecycle')
  expect_equal(storage.get_bucket_website(BUCKET), nil, 'website')
end

body = 'hello world'
step('put_object_with_body, then head_object: ETag is the MD5, CRC-64 present') do
  expect_equal(storage.put_object_with_body('hello.txt', body).status, 200, 'put status')
  head = storage.head_object('hello.txt')
  expect_equal(head.status, 200, 'head status')
  expect_equal(head.headers['ETag'], %("#{Digest::MD5.hexdigest(body).upcase}"), 'ETag')
  expect_equal(head.headers['Content-Length'], body.bytesize.to_s, 'Content-Length')
  raise 'no x-oss-hash-crc64ecma' unless head.headers['x-oss-hash-crc64ecma'] =~ /\A\d+\z/
end

step('get_object whole and ranged') do
  whole = storage.get_object('hello.txt')
  expect_equal([whole[:status], whole[:body]], [200, body], 'whole object')
  first = storage.get_object('hello.txt', '0-4')
  expect_equal([first[:status], first[:body], first[:headers]['Content-Range']], [206, 'hello', 'bytes 0-4/11'], 'range 0-4')
  rest = storage.get_object('hello.txt', '6-')
  expect_equal([rest[:status], rest[:body]], [206, 'world'], 'range 6-')
end

step('get_object of a missing key is a 404 NoSuchKey') do
  missing = storage.get_object('missing.txt')
  expect_equal(missing[:status], 404, 'status')
  raise "no NoSuchKey in #{missing[:body]}" unless missing[:body].include?('<Code>NoSuchKey</Code>')
end

file_body = 'file-body-' * 1000
step('put_object streams a File') do
  path = File.join(ENV.fetch('SCRATCH'), 'upload.bin')
  File.write(path, file_body)
  File.open(path) { |f| expect_equal(storage.put_object('dir1/file.bin', f).status, 200, 'put status') }
  expect_equal(storage.get_object('dir1/file.bin')[:body], file_body, 'read back')
end

step('list_objects with prefix, delimiter, marker and maxKeys') do
  %w[dir1/a.txt dir1/b.txt dir1/sub/c.txt].each { |key| storage.put_object_with_body(key, key) }
  keys = ->(result) { (result['Contents'] || []).map { |c| c['Key'][0] } }
  prefixes = ->(result) { (result['CommonPrefixes'] || []).map { |c| c['Prefix'][0] } }
  expect_equal(keys.(storage.list_objects(prefix: 'dir1/')), %w[dir1/a.txt dir1/b.txt dir1/file.bin dir1/sub/c.txt], 'prefix')
  top = storage.list_objects(delimiter: '/')
  expect_equal([keys.(top), prefixes.(top)], [%w[hello.txt], %w[dir1/]], 'delimiter')
  page = storage.list_objects(prefix: 'dir1/', maxKeys: '2')
  expect_equal([keys.(page), page['IsTruncated'], page['NextMarker']], [%w[dir1/a.txt dir1/b.txt], ['true'], ['dir1/b.txt']], 'first page')
  expect_equal(keys.(storage.list_objects(prefix: 'dir1/', marker: 'dir1/b.txt')), %w[dir1/file.bin dir1/sub/c.txt], 'after the marker')
end

dir = storage.directories.new(key: 'uploads')
# fog-aliyun 0.3 drops the content type and metadata it is given: File#save builds headers for them
# (metadata under Swift's X-Object-Meta-* prefix, which OSS would not keep anyway), but
# put_object_with_body sends none. The type read back is the one guessed from the key's extension.
step('files.create with content type and metadata; files.get and files.head read back what was sent') do
  dir.files.create(key: 'note.txt', body: 'model body', content_type: 'text/plain', metadata: { 'color' => 'red' })
  got = dir.files.get('note.txt')
  expect_equal([got.body, got.content_type, got.content_length, got.object_type], ['model body', 'text/plain', 10, 'Normal'], 'files.get')
  head = dir.files.head('note.txt')
  expect_equal([head.content_length, head.etag, head.metadata], [10, %("#{Digest::MD5.hexdigest('model body').upcase}"), {}], 'files.head')
  # fog-aliyun's files.head builds a File whatever the status: ask at the request level.
  expect_equal(storage.head_object('uploads/absent.txt').status, 404, 'head_object of a missing key')
end

step('files.get with a block reads the body in pieces') do
  pieces = []
  storage.directories.new(key: 'dir1').files.get('file.bin') { |piece| pieces << piece }
  expect_equal(pieces.join, file_body, 'pieces joined')
end

step('file.destroy and delete_object (204 even when absent)') do
  dir.files.new(key: 'note.txt').destroy
  expect_equal(storage.head_object('uploads/note.txt').status, 404, 'head after destroy')
  expect_equal(storage.delete_object('hello.txt').status, 204, 'delete')
  expect_equal(storage.delete_object('hello.txt').status, 204, 'delete again')
end

puts 'OK'
