// Command seed_scenario runs the append-upload seed scenario
// (shared/seeds/append-upload.txt) with the unmodified Alibaba Cloud OSS Go SDK v1
// (Debian golang-github-aliyun-aliyun-oss-go-sdk-dev 1.5.0, GOPATH mode) against
// the endpoint in OSS_ENDPOINT, and exits non-zero at the first wrong result.
//
// Build:  GO111MODULE=off GOPATH=/usr/share/gocode go build -o seed_scenario seed_scenario.go
// Env:    OSS_ENDPOINT (use http://127.0.0.1:PORT: an IP endpoint makes SDK 1.5.0 use path style),
//
//	OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET (must already exist).
//	With OSS_CASES_FILE, it instead runs the generated cases in that JSON file (runCases).
//
// Notes on SDK 1.5.0 (see shared/reference/sdk-wire-behaviour.md §2):
//   - bucket.AppendObject panics on any error, so calls that may fail use DoAppendObject.
//   - the AppendObject CRC check only runs when InitCRC is passed, and is silently
//     skipped when the server omits x-oss-hash-crc64ecma; this program therefore also
//     compares every returned CRC with a locally computed CRC-64/ECMA.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc64"
	"io/ioutil"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

var (
	ecma    = crc64.MakeTable(crc64.ECMA)
	stepNum = 0
)

func step(format string, args ...interface{}) {
	stepNum++
	fmt.Printf("step %02d: %s\n", stepNum, fmt.Sprintf(format, args...))
}

func ok(format string, args ...interface{}) {
	fmt.Printf("         ok: %s\n", fmt.Sprintf(format, args...))
}

func fail(format string, args ...interface{}) {
	// stdout, so the failure appears in order after the step log.
	fmt.Printf("FAIL at step %02d: %s\n", stepNum, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(err error, what string) {
	if err != nil {
		fail("%s: unexpected error (%T): %v", what, err, err)
	}
}

func mustEnv(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fmt.Printf("FAIL: environment variable %s is not set\n", name)
		os.Exit(2)
	}
	return v
}

func crcOf(b []byte) uint64 { return crc64.Checksum(b, ecma) }

// wantHeader fails unless h[name] == want.
func wantHeader(h http.Header, name, want, what string) {
	if got := h.Get(name); got != want {
		fail("%s: header %s = %q, want %q", what, name, got, want)
	}
}

// expectServiceError fails unless err is an oss.ServiceError with the given status and code.
func expectServiceError(err error, status int, code, what string) oss.ServiceError {
	if err == nil {
		fail("%s: expected ServiceError %d %s, got success", what, status, code)
	}
	se, isSE := err.(oss.ServiceError)
	if !isSE {
		fail("%s: expected oss.ServiceError %d %s, got %T: %v", what, status, code, err, err)
	}
	if se.StatusCode != status || se.Code != code {
		fail("%s: expected ServiceError %d %s, got StatusCode=%d Code=%q Message=%q RawMessage=%q",
			what, status, code, se.StatusCode, se.Code, se.Message, se.RawMessage)
	}
	if se.RequestID == "" {
		fail("%s: ServiceError has an empty RequestID (x-oss-request-id header missing on the error response)", what)
	}
	return se
}

// appendChecked appends data at pos with DoAppendObject. When initCRC is non-nil it is passed
// as oss.InitCRC so the SDK verifies the server's whole-object CRC; in every case the returned
// CRC and next position are compared with what the whole object (want) should have.
func appendChecked(bucket *oss.Bucket, key string, data []byte, pos int64, initCRC *uint64,
	want []byte, extra ...oss.Option) *oss.AppendObjectResult {
	opts := append([]oss.Option{}, extra...)
	what := fmt.Sprintf("DoAppendObject(%q, position=%d, %d bytes)", key, pos, len(data))
	if initCRC != nil {
		opts = append(opts, oss.InitCRC(*initCRC))
		what += fmt.Sprintf(" with InitCRC(%d)", *initCRC)
	}
	res, err := bucket.DoAppendObject(&oss.AppendObjectRequest{
		ObjectKey: key,
		Reader:    bytes.NewReader(data),
		Position:  pos,
	}, opts)
	check(err, what)
	if res.NextPosition != int64(len(want)) {
		fail("%s: NextPosition (x-oss-next-append-position) = %d, want %d", what, res.NextPosition, len(want))
	}
	if wantCRC := crcOf(want); res.CRC != wantCRC {
		fail("%s: CRC (x-oss-hash-crc64ecma) = %d, want %d (CRC-64/ECMA of the whole %d-byte object)",
			what, res.CRC, wantCRC, len(want))
	}
	return res
}

func getAll(bucket *oss.Bucket, key string) ([]byte, http.Header) {
	what := fmt.Sprintf("GetObject(%q)", key)
	res, err := bucket.DoGetObject(&oss.GetObjectRequest{ObjectKey: key}, nil)
	check(err, what)
	body, err := ioutil.ReadAll(res.Response.Body)
	res.Response.Body.Close()
	check(err, what+": reading body")
	if res.ClientCRC != nil {
		if res.ServerCRC != res.ClientCRC.Sum64() {
			fail("%s: x-oss-hash-crc64ecma = %d but the body's CRC-64/ECMA is %d", what, res.ServerCRC, res.ClientCRC.Sum64())
		}
	}
	return body, res.Response.Headers
}

func wantBody(got, want []byte, what string) {
	if !bytes.Equal(got, want) {
		fail("%s: content mismatch:\n  got  (%d bytes) %q\n  want (%d bytes) %q", what, len(got), got, len(want), want)
	}
}

func findKey(res oss.ListObjectsResult, key string) (oss.ObjectProperties, bool) {
	for _, o := range res.Objects {
		if o.Key == key {
			return o, true
		}
	}
	return oss.ObjectProperties{}, false
}

func listKeys(res oss.ListObjectsResult) []string {
	keys := make([]string, 0, len(res.Objects))
	for _, o := range res.Objects {
		keys = append(keys, o.Key)
	}
	return keys
}

func wantExist(bucket *oss.Bucket, key string, want bool) {
	what := fmt.Sprintf("IsObjectExist(%q)", key)
	exist, err := bucket.IsObjectExist(key)
	check(err, what)
	if exist != want {
		fail("%s = %v, want %v", what, exist, want)
	}
	ok("%s = %v", what, exist)
}

// generatedCase is one case of OSS_CASES_FILE: a key of odd characters, a body, metadata and a content type.
type generatedCase struct {
	Key         string            `json:"key"`
	Body        []byte            `json:"body"` // base64 in the JSON
	Meta        map[string]string `json:"meta"`
	ContentType string            `json:"contentType"`
}

// runCases puts each case's object with its metadata and content type, reads it back (the SDK's
// CRC check on), lists it under its own prefix, appends twice to a twin under the same key plus
// ".log", and deletes both: whatever the key, the SDK's encoding and signature must be the
// emulator's.
func runCases(bucket *oss.Bucket, file string) {
	raw, err := ioutil.ReadFile(file)
	check(err, "reading "+file)
	var cases []generatedCase
	check(json.Unmarshal(raw, &cases), "parsing "+file)
	for i, c := range cases {
		prefix := fmt.Sprintf("go-generated/%d/", i)
		key := prefix + c.Key
		step("case %d: key %q, %d bytes, %d metadata, content type %q", i, key, len(c.Body), len(c.Meta), c.ContentType)
		opts := []oss.Option{}
		for name, value := range c.Meta {
			opts = append(opts, oss.Meta(name, value))
		}
		if c.ContentType != "" {
			opts = append(opts, oss.ContentType(c.ContentType))
		}
		check(bucket.PutObject(key, bytes.NewReader(c.Body), opts...), fmt.Sprintf("PutObject(%q)", key))
		meta, err := bucket.GetObjectDetailedMeta(key)
		check(err, fmt.Sprintf("GetObjectDetailedMeta(%q)", key))
		wantHeader(meta, "Content-Length", strconv.Itoa(len(c.Body)), "GetObjectDetailedMeta")
		wantHeader(meta, "X-Oss-Hash-Crc64ecma", strconv.FormatUint(crcOf(c.Body), 10), "GetObjectDetailedMeta")
		for name, value := range c.Meta {
			wantHeader(meta, "X-Oss-Meta-"+name, value, "GetObjectDetailedMeta")
		}
		if c.ContentType != "" {
			wantHeader(meta, "Content-Type", c.ContentType, "GetObjectDetailedMeta")
		}
		body, _ := getAll(bucket, key)
		wantBody(body, c.Body, fmt.Sprintf("GetObject(%q)", key))
		listed, err := bucket.ListObjects(oss.Prefix(prefix))
		check(err, fmt.Sprintf("ListObjects(prefix %q)", prefix))
		if keys := listKeys(listed); len(keys) != 1 || keys[0] != key {
			fail("ListObjects(prefix %q) = %q, want just %q", prefix, keys, key)
		}
		twin := key + ".log"
		zero := uint64(0)
		first := appendChecked(bucket, twin, c.Body, 0, &zero, c.Body)
		whole := append(append([]byte{}, c.Body...), c.Body...)
		appendChecked(bucket, twin, c.Body, first.NextPosition, &first.CRC, whole)
		for _, doomed := range []string{key, twin} {
			check(bucket.DeleteObject(doomed), fmt.Sprintf("DeleteObject(%q)", doomed))
		}
		wantExist(bucket, key, false)
	}
	fmt.Println("OK")
}

func main() {
	endpoint := mustEnv("OSS_ENDPOINT")
	akID := mustEnv("OSS_ACCESS_KEY_ID")
	akSecret := mustEnv("OSS_ACCESS_KEY_SECRET")
	bucketName := mustEnv("OSS_BUCKET")
	if file := os.Getenv("OSS_CASES_FILE"); file != "" {
		client, err := oss.New(endpoint, akID, akSecret, oss.Timeout(10, 30))
		check(err, "oss.New")
		bucket, err := client.Bucket(bucketName)
		check(err, "client.Bucket")
		runCases(bucket, file)
		return
	}

	fmt.Printf("Go SDK v1 seed scenario against %s, bucket %s\n", endpoint, bucketName)

	step("create client and bucket handle")
	client, err := oss.New(endpoint, akID, akSecret, oss.Timeout(10, 30))
	check(err, "oss.New")
	if !client.Config.IsEnableCRC {
		fail("the SDK's CRC check is not enabled by default")
	}
	bucket, err := client.Bucket(bucketName)
	check(err, "client.Bucket")

	prefix := fmt.Sprintf("go-sdk-seed-%d/", time.Now().UnixNano())
	appendKey := prefix + "appendobject.txt"
	seedKey := prefix + "seed-verbatim.txt"
	crcNegKey := prefix + "crc-negative.bin"
	normalKey := prefix + "normal.txt"
	specialKey := prefix + "dir/a b+c.txt" // SDK 1.5.0 sends this as dir%2Fa+b%2Bc.txt
	missingKey := prefix + "does-not-exist.txt"
	ok("key prefix %q", prefix)

	// Expires is stored and echoed verbatim; oss.Expires formats it with http.TimeFormat.
	expires := time.Date(2025, time.December, 10, 23, 0, 0, 0, time.UTC)
	expiresHeader := expires.Format(http.TimeFormat)

	part1 := []byte("YourObjectAppendValue1")
	part2 := []byte("YourObjectAppendValue2\n")
	part3 := []byte("resumed after GetObjectDetailedMeta: \x00\x01\xfe\xff utf-8 \xe6\x97\xa5\xe5\xbf\x97\n")

	// ---- seed scenario with CRC checking -------------------------------------------------
	step("IsObjectExist on a key that was never written")
	wantExist(bucket, appendKey, false)

	step("first append at position 0 with oss.Expires(%s)", expiresHeader)
	content := append([]byte{}, part1...)
	res := appendChecked(bucket, appendKey, part1, 0, nil, content, oss.Expires(expires))
	ok("NextPosition=%d CRC=%d", res.NextPosition, res.CRC)

	step("second append at the returned position %d with InitCRC(%d)", res.NextPosition, res.CRC)
	content = append(content, part2...)
	prevCRC := res.CRC
	res = appendChecked(bucket, appendKey, part2, res.NextPosition, &prevCRC, content)
	ok("NextPosition=%d CRC=%d (SDK CRC check passed)", res.NextPosition, res.CRC)
	lastCRC := res.CRC

	step("GetObjectDetailedMeta to find the resume position")
	meta, err := bucket.GetObjectDetailedMeta(appendKey)
	check(err, "GetObjectDetailedMeta")
	nextPos, err := strconv.ParseInt(meta.Get("X-Oss-Next-Append-Position"), 10, 64)
	if err != nil {
		fail("GetObjectDetailedMeta: cannot parse X-Oss-Next-Append-Position %q: %v", meta.Get("X-Oss-Next-Append-Position"), err)
	}
	if nextPos != int64(len(content)) {
		fail("GetObjectDetailedMeta: X-Oss-Next-Append-Position = %d, want %d", nextPos, len(content))
	}
	wantHeader(meta, "X-Oss-Object-Type", "Appendable", "GetObjectDetailedMeta")
	wantHeader(meta, "Content-Length", strconv.Itoa(len(content)), "GetObjectDetailedMeta")
	wantHeader(meta, "Expires", expiresHeader, "GetObjectDetailedMeta")
	wantHeader(meta, "X-Oss-Hash-Crc64ecma", strconv.FormatUint(lastCRC, 10), "GetObjectDetailedMeta")
	if meta.Get("ETag") == "" || meta.Get("Last-Modified") == "" || meta.Get("X-Oss-Request-Id") == "" {
		fail("GetObjectDetailedMeta: missing ETag/Last-Modified/X-Oss-Request-Id in %v", meta)
	}
	ok("X-Oss-Next-Append-Position=%d", nextPos)

	step("resume appending at %d with InitCRC(%d)", nextPos, lastCRC)
	content = append(content, part3...)
	res = appendChecked(bucket, appendKey, part3, nextPos, &lastCRC, content)
	ok("NextPosition=%d CRC=%d (SDK CRC check passed)", res.NextPosition, res.CRC)

	step("GetObject: byte-exact content, object type and Expires")
	body, hdr := getAll(bucket, appendKey)
	wantBody(body, content, "GetObject")
	wantHeader(hdr, "X-Oss-Object-Type", "Appendable", "GetObject")
	wantHeader(hdr, "Expires", expiresHeader, "GetObject")
	wantHeader(hdr, "X-Oss-Next-Append-Position", strconv.Itoa(len(content)), "GetObject")
	wantHeader(hdr, "Content-Type", "text/plain; charset=utf-8", "GetObject")
	ok("%d bytes match, Appendable, Expires=%q", len(body), hdr.Get("Expires"))

	// ---- the seed's own calls, verbatim (bucket.AppendObject) -----------------------------
	step("seed code verbatim: bucket.AppendObject x2, then GetObjectDetailedMeta and resume")
	func() {
		defer func() {
			if r := recover(); r != nil {
				fail("bucket.AppendObject panicked (SDK 1.5.0 does this on any error response): %v", r)
			}
		}()
		var pos int64
		pos, err = bucket.AppendObject(seedKey, strings.NewReader("YourObjectAppendValue1"), pos, oss.Expires(expires))
		check(err, "AppendObject #1")
		pos, err = bucket.AppendObject(seedKey, strings.NewReader("YourObjectAppendValue2"), pos)
		check(err, "AppendObject #2")
		var props http.Header
		props, err = bucket.GetObjectDetailedMeta(seedKey)
		check(err, "GetObjectDetailedMeta")
		pos, err = strconv.ParseInt(props.Get("X-Oss-Next-Append-Position"), 10, 64)
		check(err, "parse X-Oss-Next-Append-Position")
		pos, err = bucket.AppendObject(seedKey, strings.NewReader("YourObjectAppendValue2"), pos)
		check(err, "AppendObject #3")
		want := "YourObjectAppendValue1YourObjectAppendValue2YourObjectAppendValue2"
		if pos != int64(len(want)) {
			fail("AppendObject #3 returned position %d, want %d", pos, len(want))
		}
		got, h := getAll(bucket, seedKey)
		wantBody(got, []byte(want), "GetObject(seed-verbatim)")
		wantHeader(h, "Expires", expiresHeader, "GetObject(seed-verbatim)")
		ok("final position %d, content matches", pos)
	}()

	// ---- the SDK's CRC check is live: a wrong InitCRC must be detected -------------------
	step("CRC check is live: second append with InitCRC(0) must fail with CRCCheckError")
	crcContent := []byte("first-chunk")
	res = appendChecked(bucket, crcNegKey, crcContent, 0, nil, crcContent)
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{
		ObjectKey: crcNegKey, Reader: strings.NewReader("second-chunk"), Position: res.NextPosition,
	}, []oss.Option{oss.InitCRC(0)})
	if err == nil {
		fail("append with InitCRC(0) after a non-empty object succeeded: the server's x-oss-hash-crc64ecma " +
			"is missing or not the whole-object CRC")
	}
	if _, isCRC := err.(oss.CRCCheckError); !isCRC {
		fail("append with InitCRC(0): expected oss.CRCCheckError, got %T: %v", err, err)
	}
	ok("%v", err)

	// ---- error paths ---------------------------------------------------------------------
	step("append at a wrong position → 409 PositionNotEqualToLength")
	wrongPos := int64(len(content) - 1)
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{
		ObjectKey: appendKey, Reader: strings.NewReader("must not be written"), Position: wrongPos,
	}, nil)
	se := expectServiceError(err, 409, "PositionNotEqualToLength", fmt.Sprintf("DoAppendObject(position=%d, length=%d)", wrongPos, len(content)))
	ok("%s: %s (RequestId %s)", se.Code, se.Message, se.RequestID)
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{
		ObjectKey: appendKey, Reader: strings.NewReader("must not be written"), Position: int64(len(content) + 10),
	}, nil)
	expectServiceError(err, 409, "PositionNotEqualToLength", "DoAppendObject(position past the end)")
	body, _ = getAll(bucket, appendKey)
	wantBody(body, content, "GetObject after rejected appends")
	ok("object unchanged after rejected appends")

	step("PutObject a Normal object, then append to it → 409 ObjectNotAppendable")
	normalContent := []byte("a normal object\n")
	err = bucket.PutObject(normalKey, bytes.NewReader(normalContent))
	check(err, "PutObject (the SDK also verifies x-oss-hash-crc64ecma if sent)")
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{
		ObjectKey: normalKey, Reader: strings.NewReader("more"), Position: int64(len(normalContent)),
	}, nil)
	se = expectServiceError(err, 409, "ObjectNotAppendable", "DoAppendObject on a Normal object")
	ok("%s: %s", se.Code, se.Message)
	meta, err = bucket.GetObjectDetailedMeta(normalKey)
	check(err, "GetObjectDetailedMeta(normal)")
	wantHeader(meta, "X-Oss-Object-Type", "Normal", "GetObjectDetailedMeta(normal)")
	body, _ = getAll(bucket, normalKey)
	wantBody(body, normalContent, "GetObject(normal) after rejected append")
	ok("Normal object unchanged")

	// ---- compressed downloads -------------------------------------------------------------
	step("GetObject of a 4.5 KB text object: gzip-compressed on the wire, as OSS does for Go's transport (it sends Accept-Encoding: gzip); the SDK reads it whole, CRC-checked")
	textKey := prefix + "page.txt"
	textContent := bytes.Repeat([]byte("compressible text\n"), 256)
	check(bucket.PutObject(textKey, bytes.NewReader(textContent)), "PutObject(text)")
	body, headers := getAll(bucket, textKey)
	wantBody(body, textContent, "GetObject(text)")
	if etag := headers.Get("ETag"); etag != "" {
		fail("GetObject(text): a compressed answer carries no ETag (OSS gzip FAQ), got %q", etag)
	}
	meta, err = bucket.GetObjectDetailedMeta(textKey)
	check(err, "GetObjectDetailedMeta(text)")
	wantHeader(meta, "Content-Length", fmt.Sprint(len(textContent)), "GetObjectDetailedMeta(text): HEAD asks for no gzip")
	check(bucket.DeleteObject(textKey), "DeleteObject(text)")
	ok("%d bytes, CRC-64 verified by the SDK", len(body))

	// ---- keys with space, '+' and '/' ----------------------------------------------------
	step("PutObject/GetObject a key with a space, a '+' and a '/': %q", specialKey)
	specialContent := []byte("space plus slash\n")
	err = bucket.PutObject(specialKey, bytes.NewReader(specialContent))
	check(err, fmt.Sprintf("PutObject(%q)", specialKey))
	body, _ = getAll(bucket, specialKey)
	wantBody(body, specialContent, fmt.Sprintf("GetObject(%q)", specialKey))
	wantExist(bucket, specialKey, true)
	wantExist(bucket, prefix+"dir/a+b+c.txt", false) // a '+' must not be confused with a space
	wantExist(bucket, prefix+"dir/a b c.txt", false)

	step("ListObjects with a prefix")
	lst, err := bucket.ListObjects(oss.Prefix(prefix), oss.MaxKeys(100))
	check(err, "ListObjects")
	if lst.Prefix != prefix {
		fail("ListObjects: Prefix echoed as %q, want %q", lst.Prefix, prefix)
	}
	wantSizes := map[string]int{
		appendKey: len(content), seedKey: 66, crcNegKey: len(crcContent) + len("second-chunk"),
		normalKey: len(normalContent), specialKey: len(specialContent),
	}
	wantTypes := map[string]string{
		appendKey: "Appendable", seedKey: "Appendable", crcNegKey: "Appendable",
		normalKey: "Normal", specialKey: "Normal",
	}
	if len(lst.Objects) != len(wantSizes) {
		fail("ListObjects(prefix=%q): got %d keys %q, want %d", prefix, len(lst.Objects), listKeys(lst), len(wantSizes))
	}
	for k, size := range wantSizes {
		o, found := findKey(lst, k)
		if !found {
			fail("ListObjects(prefix=%q): key %q missing; got %q", prefix, k, listKeys(lst))
		}
		if o.Size != int64(size) {
			fail("ListObjects: %q Size=%d, want %d", k, o.Size, size)
		}
		if o.Type != wantTypes[k] {
			fail("ListObjects: %q Type=%q, want %q", k, o.Type, wantTypes[k])
		}
		if o.ETag == "" || o.LastModified.IsZero() {
			fail("ListObjects: %q has empty ETag or LastModified: %+v", k, o)
		}
	}
	ok("%d keys: %q", len(lst.Objects), listKeys(lst))

	step("ListObjects with a prefix containing a space and a '+'")
	lst, err = bucket.ListObjects(oss.Prefix(prefix + "dir/a b+"))
	check(err, "ListObjects(special prefix)")
	if len(lst.Objects) != 1 || lst.Objects[0].Key != specialKey {
		fail("ListObjects(prefix=%q): got %q, want [%q]", prefix+"dir/a b+", listKeys(lst), specialKey)
	}
	if lst.Prefix != prefix+"dir/a b+" {
		fail("ListObjects: Prefix echoed as %q, want %q", lst.Prefix, prefix+"dir/a b+")
	}
	ok("found %q", lst.Objects[0].Key)

	step("ListObjects with delimiter '/'")
	lst, err = bucket.ListObjects(oss.Prefix(prefix), oss.Delimiter("/"))
	check(err, "ListObjects(delimiter)")
	if len(lst.CommonPrefixes) != 1 || lst.CommonPrefixes[0] != prefix+"dir/" {
		fail("ListObjects(prefix=%q, delimiter=/): CommonPrefixes=%q, want [%q]", prefix, lst.CommonPrefixes, prefix+"dir/")
	}
	if _, found := findKey(lst, specialKey); found || len(lst.Objects) != len(wantSizes)-1 {
		fail("ListObjects(prefix=%q, delimiter=/): keys %q, want the %d keys outside dir/", prefix, listKeys(lst), len(wantSizes)-1)
	}
	ok("CommonPrefixes=%q", lst.CommonPrefixes)

	// ---- copy -----------------------------------------------------------------------------
	step("CopyObject of the appendable object: a Normal copy with its bytes, ETag and CRC-64")
	copyKey := prefix + "copy-of-append.txt"
	srcMeta, err := bucket.GetObjectDetailedMeta(appendKey)
	check(err, "GetObjectDetailedMeta(append key) before the copy")
	copied, err := bucket.CopyObject(appendKey, copyKey)
	check(err, "CopyObject")
	if copied.ETag != srcMeta.Get("ETag") || copied.LastModified.IsZero() {
		fail("CopyObjectResult ETag=%q LastModified=%v, want the source's ETag %q and a time", copied.ETag, copied.LastModified, srcMeta.Get("ETag"))
	}
	meta, err = bucket.GetObjectDetailedMeta(copyKey)
	check(err, "GetObjectDetailedMeta(copy)")
	wantHeader(meta, "X-Oss-Object-Type", "Normal", "GetObjectDetailedMeta(copy)")
	wantHeader(meta, "X-Oss-Hash-Crc64ecma", strconv.FormatUint(crcOf(content), 10), "GetObjectDetailedMeta(copy)")
	wantHeader(meta, "X-Oss-Next-Append-Position", "", "GetObjectDetailedMeta(copy)")
	wantHeader(meta, "Expires", expiresHeader, "GetObjectDetailedMeta(copy): metadata copied")
	body, _ = getAll(bucket, copyKey)
	wantBody(body, content, "GetObject(copy)")
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{ObjectKey: copyKey, Reader: strings.NewReader("x"), Position: int64(len(content))}, nil)
	expectServiceError(err, 409, "ObjectNotAppendable", "DoAppendObject on the copy")
	ok("ETag %s, Normal, CRC and bytes match; appending to it is refused", copied.ETag)

	step("CopyObject from the key with a space, '+' and '/' (sent QueryEscaped: dir%%2Fa+b%%2Bc.txt)")
	specialCopy := prefix + "copy of special.txt"
	_, err = bucket.CopyObject(specialKey, specialCopy)
	check(err, "CopyObject(special key)")
	body, _ = getAll(bucket, specialCopy)
	wantBody(body, specialContent, "GetObject(copy of special key)")
	ok("copied")

	step("SetObjectMeta (a copy onto itself with REPLACE) changes metadata, not bytes")
	check(bucket.SetObjectMeta(normalKey, oss.Meta("Color", "blue"), oss.ContentType("text/x-go")), "SetObjectMeta")
	meta, err = bucket.GetObjectDetailedMeta(normalKey)
	check(err, "GetObjectDetailedMeta after SetObjectMeta")
	wantHeader(meta, "X-Oss-Meta-Color", "blue", "after SetObjectMeta")
	wantHeader(meta, "Content-Type", "text/x-go", "after SetObjectMeta")
	body, _ = getAll(bucket, normalKey)
	wantBody(body, normalContent, "GetObject after SetObjectMeta")
	ok("metadata replaced, content kept")

	step("CopyObject conditions: CopySourceIfMatch of another ETag → 412; CopySourceIfNoneMatch of the source's → 304")
	_, err = bucket.CopyObject(appendKey, copyKey, oss.CopySourceIfMatch(`"00000000000000000000000000000000"`))
	expectServiceError(err, 412, "PreconditionFailed", "CopyObject with CopySourceIfMatch")
	_, err = bucket.CopyObject(appendKey, copyKey, oss.CopySourceIfNoneMatch(srcMeta.Get("ETag")))
	if err == nil || !strings.Contains(err.Error(), "304") {
		fail("CopyObject with CopySourceIfNoneMatch of the source's ETag: want a 304 error, got %v", err)
	}
	ok("412 and 304")
	for _, k := range []string{copyKey, specialCopy} {
		check(bucket.DeleteObject(k), fmt.Sprintf("DeleteObject(%q)", k))
	}

	// ---- multipart ------------------------------------------------------------------------
	step("UploadFile: 450 KiB in 100 KiB parts on 3 routines (UploadPart CRC-checked by the SDK)")
	mpKey := prefix + "multipart.bin"
	mpData := make([]byte, 450*1024)
	for i := range mpData {
		mpData[i] = byte(i*7 + i/1024)
	}
	tmp, err := ioutil.TempFile("", "ossemu-multipart-")
	check(err, "TempFile")
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(mpData)
	check(err, "write the temp file")
	check(tmp.Close(), "close the temp file")
	check(bucket.UploadFile(mpKey, tmp.Name(), 100*1024, oss.Routines(3)), "UploadFile")
	meta, err = bucket.GetObjectDetailedMeta(mpKey)
	check(err, "GetObjectDetailedMeta(multipart)")
	wantHeader(meta, "X-Oss-Object-Type", "Multipart", "GetObjectDetailedMeta(multipart)")
	wantHeader(meta, "X-Oss-Hash-Crc64ecma", strconv.FormatUint(crcOf(mpData), 10), "GetObjectDetailedMeta(multipart)")
	if !strings.HasSuffix(meta.Get("ETag"), "-5\"") {
		fail("multipart ETag %q: want the form \"<md5>-5\"", meta.Get("ETag"))
	}
	body, _ = getAll(bucket, mpKey)
	wantBody(body, mpData, "GetObject(multipart)")
	_, err = bucket.DoAppendObject(&oss.AppendObjectRequest{ObjectKey: mpKey, Reader: strings.NewReader("x"), Position: int64(len(mpData))}, nil)
	expectServiceError(err, 409, "ObjectNotAppendable", "DoAppendObject on the Multipart object")
	ok("ETag %s, Multipart, CRC and bytes match; appending to it is refused", meta.Get("ETag"))

	step("CopyFile: the multipart object copied by UploadPartCopy in 100 KiB ranges on 2 routines")
	mpCopyKey := prefix + "multipart-copy.bin"
	check(bucket.CopyFile(bucketName, mpKey, mpCopyKey, 100*1024, oss.Routines(2)), "CopyFile")
	body, _ = getAll(bucket, mpCopyKey)
	wantBody(body, mpData, "GetObject(copy by parts)")
	check(bucket.DeleteObject(mpCopyKey), "DeleteObject(copy by parts)")
	ok("copied by parts")

	step("InitiateMultipartUpload, UploadPart, ListMultipartUploads, ListUploadedParts, a bad Complete, AbortMultipartUpload")
	imur, err := bucket.InitiateMultipartUpload(prefix + "manual part+1.bin")
	check(err, "InitiateMultipartUpload")
	uploaded, err := bucket.UploadPart(imur, strings.NewReader("the only part"), 13, 1)
	check(err, "UploadPart")
	lmu, err := bucket.ListMultipartUploads(oss.Prefix(prefix))
	check(err, "ListMultipartUploads")
	if len(lmu.Uploads) != 1 || lmu.Uploads[0].UploadID != imur.UploadID || lmu.Uploads[0].Key != prefix+"manual part+1.bin" || lmu.Uploads[0].Initiated.IsZero() {
		fail("ListMultipartUploads(prefix=%q): %+v, want the one upload %s", prefix, lmu.Uploads, imur.UploadID)
	}
	lup, err := bucket.ListUploadedParts(imur)
	check(err, "ListUploadedParts")
	if len(lup.UploadedParts) != 1 || lup.UploadedParts[0].ETag != uploaded.ETag || lup.UploadedParts[0].Size != 13 {
		fail("ListUploadedParts: %+v, want part 1 with ETag %s and size 13", lup.UploadedParts, uploaded.ETag)
	}
	_, err = bucket.CompleteMultipartUpload(imur, []oss.UploadPart{{PartNumber: 1, ETag: `"00000000000000000000000000000000"`}})
	expectServiceError(err, 400, "InvalidPart", "CompleteMultipartUpload with a wrong ETag")
	check(bucket.AbortMultipartUpload(imur), "AbortMultipartUpload")
	_, err = bucket.ListUploadedParts(imur)
	expectServiceError(err, 404, "NoSuchUpload", "ListUploadedParts after the abort")
	check(bucket.DeleteObject(mpKey), "DeleteObject(multipart)")
	ok("listed, refused, aborted")

	// ---- delete ---------------------------------------------------------------------------
	step("DeleteObject, then IsObjectExist/GetObjectDetailedMeta report it gone")
	wantExist(bucket, appendKey, true)
	check(bucket.DeleteObject(appendKey), "DeleteObject(append key)")
	wantExist(bucket, appendKey, false)
	_, err = bucket.GetObjectDetailedMeta(appendKey)
	if err == nil || !strings.Contains(err.Error(), "404") {
		fail("GetObjectDetailedMeta on a deleted key: want a 404 error, got %v", err)
	}
	ok("HEAD after delete: %v", err)
	_, err = bucket.GetObject(appendKey)
	expectServiceError(err, 404, "NoSuchKey", "GetObject on a deleted key")
	check(bucket.DeleteObject(missingKey), "DeleteObject on a missing key (must be 204)")
	ok("deleting a missing key returns 204")

	step("DeleteObject the key with a space, '+' and '/'")
	check(bucket.DeleteObject(specialKey), fmt.Sprintf("DeleteObject(%q)", specialKey))
	wantExist(bucket, specialKey, false)

	step("DeleteObjects with keys encoding/xml escapes (\", ', tab) or that end in a space deletes exactly those")
	// Go's encoding/xml writes " ' and tab as &#34; &#39; &#x9;: the emulator must decode them, and
	// keep the trailing space, or it deletes the wrong object (or none) and still reports success.
	doomed := []string{prefix + `say "hi"`, prefix + "it's", prefix + "tab\there", prefix + "report "}
	kept := prefix + "report"
	for _, k := range append([]string{kept}, doomed...) {
		check(bucket.PutObject(k, strings.NewReader(k)), fmt.Sprintf("PutObject(%q)", k))
	}
	deleted, err := bucket.DeleteObjects(doomed)
	check(err, "DeleteObjects")
	if len(deleted.DeletedObjects) != len(doomed) {
		fail("DeleteObjects reported %q, want %q", deleted.DeletedObjects, doomed)
	}
	for _, k := range doomed {
		wantExist(bucket, k, false)
	}
	wantExist(bucket, kept, true)
	check(bucket.DeleteObject(kept), fmt.Sprintf("DeleteObject(%q)", kept))
	ok("deleted %q, kept %q", deleted.DeletedObjects, kept)

	step("clean up and ListObjects shows the prefix empty")
	for _, k := range []string{seedKey, crcNegKey, normalKey} {
		check(bucket.DeleteObject(k), fmt.Sprintf("DeleteObject(%q)", k))
	}
	lst, err = bucket.ListObjects(oss.Prefix(prefix))
	check(err, "ListObjects after cleanup")
	if len(lst.Objects) != 0 {
		fail("ListObjects(prefix=%q) after deleting everything: %q", prefix, listKeys(lst))
	}
	ok("prefix empty")

	if ramKey := os.Getenv("OSS_RAM_ACCESS_KEY_ID"); ramKey != "" {
		ramUser(endpoint, ramKey, mustEnv("OSS_RAM_ACCESS_KEY_SECRET"), bucket, bucketName, prefix)
	}

	fmt.Println("OK")
}

// ramUser runs appends with a RAM user's key pair whose policy allows oss:PutObject and nothing
// else: the appends succeed with the SDK's CRC check on, reading and deleting are AccessDenied.
func ramUser(endpoint, akID, akSecret string, owner *oss.Bucket, bucketName, prefix string) {
	step("a RAM user allowed only oss:PutObject appends twice (CRC-checked)")
	client, err := oss.New(endpoint, akID, akSecret, oss.Timeout(10, 30))
	check(err, "oss.New with the RAM user's key pair")
	bucket, err := client.Bucket(bucketName)
	check(err, "client.Bucket")
	key := prefix + "ram-user.log"
	first := []byte("written by a RAM user\n")
	res := appendChecked(bucket, key, first, 0, nil, first)
	crc := res.CRC
	appendChecked(bucket, key, []byte("and again\n"), res.NextPosition, &crc, append(append([]byte{}, first...), "and again\n"...))
	ok("both appends accepted")

	step("the same RAM user may not read, delete or copy: 403 AccessDenied")
	_, err = bucket.GetObject(key)
	se := expectServiceError(err, 403, "AccessDenied", "GetObject as the RAM user")
	if !strings.Contains(se.RawMessage, "<EC>0003-00000001</EC>") || !strings.Contains(se.RawMessage, "<AuthAction>oss:GetObject</AuthAction>") {
		fail("GetObject as the RAM user: want EC 0003-00000001 and AuthAction oss:GetObject in %q", se.RawMessage)
	}
	expectServiceError(bucket.DeleteObject(key), 403, "AccessDenied", "DeleteObject as the RAM user")
	// A copy reads its source: oss:PutObject on the destination is not enough.
	_, err = bucket.CopyObject(key, key+".copy")
	se = expectServiceError(err, 403, "AccessDenied", "CopyObject as the RAM user")
	if !strings.Contains(se.RawMessage, "<AuthAction>oss:GetObject</AuthAction>") {
		fail("CopyObject as the RAM user: want AuthAction oss:GetObject in %q", se.RawMessage)
	}
	ok("refused")
	check(owner.DeleteObject(key), "DeleteObject as the owner")
}
