// The calls Docker Distribution's OSS storage driver makes through denverdino/aliyungo's oss
// package, against the emulator used as the client's HTTP proxy: the way README.md tells users of
// clients that only build https://<bucket>.<endpoint> URLs to reach it.
//
// Env: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, and HTTP_PROXY=http://127.0.0.1:<port>.
// Prints one line per step and OK at the end; exits 1 at the first failure.
package main

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io/ioutil"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/denverdino/aliyungo/oss"
	"github.com/denverdino/aliyungo/util"
)

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func main() {
	// The client retries some errors for seconds by default; a test wants the first answer.
	oss.SetAttemptStrategy(&util.AttemptStrategy{Min: 1, Total: 100 * time.Millisecond, Delay: 10 * time.Millisecond})
	// Region Hangzhou, not internal, plain HTTP (the last argument): the Distribution driver's `secure: false`.
	client := oss.NewOSSClient(oss.Hangzhou, false, os.Getenv("OSS_ACCESS_KEY_ID"), os.Getenv("OSS_ACCESS_KEY_SECRET"), false)
	b := client.Bucket(os.Getenv("OSS_BUCKET"))

	blob := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320,000 bytes
	sum := md5.Sum(blob)
	fmt.Println("PutContent: Put with Content-MD5")
	check(b.Put("registry/blobs/data", blob, "application/octet-stream", oss.Private, oss.Options{ContentMD5: base64.StdEncoding.EncodeToString(sum[:])}), "Put")
	check(b.PutReader("registry/repo/_layers/link", strings.NewReader("sha256:abc"), 10, "text/plain", oss.Private, oss.Options{}), "PutReader")
	check(b.Put("registry/repo/_manifests/tags/latest/current/link", []byte("sha256:def"), "", oss.Private, oss.Options{}), "Put without a content type")

	fmt.Println("GetContent and Reader at an offset (Range)")
	got, err := b.Get("registry/blobs/data")
	check(err, "Get")
	if !bytes.Equal(got, blob) {
		fail("Get returned %d bytes that differ from the %d put", len(got), len(blob))
	}
	header := http.Header{}
	header.Set("Range", "bytes=100000-")
	resp, err := b.GetResponseWithHeaders("registry/blobs/data", header)
	check(err, "GetResponseWithHeaders(Range)")
	tail, _ := ioutil.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 206 || !bytes.Equal(tail, blob[100000:]) {
		fail("Range bytes=100000-: status %d, %d bytes", resp.StatusCode, len(tail))
	}

	fmt.Println("Stat: Head, Exists, a missing path")
	head, err := b.Head("registry/blobs/data", nil)
	check(err, "Head")
	if head.ContentLength != int64(len(blob)) {
		fail("Head Content-Length %d, want %d", head.ContentLength, len(blob))
	}
	if ok, err := b.Exists("registry/blobs/data"); err != nil || !ok {
		fail("Exists(existing) = %v, %v", ok, err)
	}
	if ok, err := b.Exists("registry/blobs/missing"); err != nil || ok {
		fail("Exists(missing) = %v, %v", ok, err)
	}
	if _, err := b.Get("registry/blobs/missing"); err == nil {
		fail("Get of a missing key succeeded")
	} else if e, ok := err.(*oss.Error); !ok || e.StatusCode != 404 || e.Code != "NoSuchKey" {
		fail("Get of a missing key: %v, want 404 NoSuchKey", err)
	}

	fmt.Println("List with a delimiter (the driver's directory listing)")
	list, err := b.List("registry/", "/", "", 1000)
	check(err, "List")
	prefixes := append([]string(nil), list.CommonPrefixes...)
	sort.Strings(prefixes)
	if strings.Join(prefixes, ",") != "registry/blobs/,registry/repo/" || len(list.Contents) != 0 {
		fail("List(registry/, /): prefixes %q, %d objects", prefixes, len(list.Contents))
	}

	fmt.Println("URLFor: a signed URL fetched through the same proxy")
	url := b.SignedURL("registry/blobs/data", time.Now().Add(10*time.Minute))
	fetched, err := http.Get(url) // the default transport honours HTTP_PROXY, like the registry's clients
	check(err, "GET of the signed URL")
	body, _ := ioutil.ReadAll(fetched.Body)
	fetched.Body.Close()
	if fetched.StatusCode != 200 || !bytes.Equal(body, blob) {
		fail("signed URL: status %d, %d bytes", fetched.StatusCode, len(body))
	}

	fmt.Println("Writer: multipart upload as the driver writes a layer: InitMulti, PutPart x2, ListMulti and ListParts to resume, Complete")
	multi, err := b.InitMulti("registry/uploads/big", "application/octet-stream", oss.Private, oss.Options{})
	check(err, "InitMulti")
	first, err := multi.PutPart(1, bytes.NewReader(blob[:200000]))
	check(err, "PutPart(1)")
	second, err := multi.PutPart(2, bytes.NewReader(blob[200000:]))
	check(err, "PutPart(2)")
	multis, _, err := b.ListMulti("registry/uploads/", "")
	check(err, "ListMulti")
	if len(multis) != 1 || multis[0].UploadId != multi.UploadId || multis[0].Key != "registry/uploads/big" {
		fail("ListMulti: %d uploads, want the one started", len(multis))
	}
	parts, err := multis[0].ListParts()
	check(err, "ListParts")
	if len(parts) != 2 || parts[0].ETag != first.ETag || parts[1].Size != int64(len(blob)-200000) {
		fail("ListParts: %+v, want the two parts put", parts)
	}
	check(multis[0].Complete([]oss.Part{first, second}), "Complete")
	joined, err := b.Get("registry/uploads/big")
	check(err, "Get of the completed upload")
	if !bytes.Equal(joined, blob) {
		fail("completed upload: %d bytes, not the %d put", len(joined), len(blob))
	}

	fmt.Println("Move: PutCopy to the blob's final path (the driver's move under 128 MiB), then Del of the upload")
	_, err = b.PutCopy("registry/blobs/moved", oss.Private, oss.CopyOptions{}, "/"+os.Getenv("OSS_BUCKET")+"/registry/uploads/big")
	check(err, "PutCopy")
	check(b.Del("registry/uploads/big"), "Del of the upload")
	moved, err := b.Get("registry/blobs/moved")
	check(err, "Get of the moved blob")
	if !bytes.Equal(moved, blob) {
		fail("moved blob: %d bytes, not the %d put", len(moved), len(blob))
	}
	check(b.Del("registry/blobs/moved"), "Del of the moved blob")

	fmt.Println("Move of a large blob, as CopyLargeFileInParallel does from 128 MiB on: InitMulti, PutPartCopyWithContentLength per range, Complete")
	check(b.Put("registry/uploads/large", blob, "application/octet-stream", oss.Private, oss.Options{}), "Put of the source")
	copyMulti, err := b.InitMulti("registry/blobs/large", "application/octet-stream", oss.Private, oss.Options{})
	check(err, "InitMulti for the copy")
	source := b.Path("registry/uploads/large")
	_, copied1, err := copyMulti.PutPartCopyWithContentLength(1, oss.CopyOptions{CopySourceOptions: "bytes=0-199999"}, source, int64(len(blob)))
	check(err, "PutPartCopyWithContentLength(1)")
	_, copied2, err := copyMulti.PutPartCopyWithContentLength(2, oss.CopyOptions{CopySourceOptions: fmt.Sprintf("bytes=200000-%d", len(blob)-1)}, source, int64(len(blob)))
	check(err, "PutPartCopyWithContentLength(2)")
	check(copyMulti.Complete([]oss.Part{copied1, copied2}), "Complete of the copy")
	large, err := b.Get("registry/blobs/large")
	check(err, "Get of the large blob")
	if !bytes.Equal(large, blob) {
		fail("large blob copied by parts: %d bytes, not the %d put", len(large), len(blob))
	}
	check(b.Del("registry/uploads/large"), "Del of the source")
	check(b.Del("registry/blobs/large"), "Del of the large blob")

	fmt.Println("Delete: DelMulti and Del")
	check(b.DelMulti(oss.Delete{Quiet: true, Objects: []oss.Object{{Key: "registry/repo/_layers/link"}, {Key: "registry/repo/_manifests/tags/latest/current/link"}}}), "DelMulti")
	check(b.Del("registry/blobs/data"), "Del")
	list, err = b.List("registry/", "", "", 1000)
	check(err, "List after the deletes")
	if len(list.Contents) != 0 {
		fail("%d objects left after the deletes", len(list.Contents))
	}
	fmt.Println("OK")
}
