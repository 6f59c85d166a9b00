package s3_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/porttest"
	"github.com/wagate/wagate/shared/s3"
)

func TestBlobStore(t *testing.T) {
	client := awsconf.NewS3(awstest.Config(t))
	porttest.BlobStore(t, func(t *testing.T) wagate.BlobStore {
		return s3.New(client, MustCreateBucket(t, client))
	})
}

// TestPresignedDownload fetches a presigned URL without credentials and
// checks the body and the download name.
func TestPresignedDownload(t *testing.T) {
	client := awsconf.NewS3(awstest.Config(t))
	bs := s3.New(client, MustCreateBucket(t, client))
	ctx := awstest.Context(t)
	if _, err := bs.Put(ctx, "media/s1/a.pdf", strings.NewReader("%PDF-1.4"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if err := bs.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	url, err := bs.PresignGet(ctx, "media/s1/a.pdf", "Factura marzo.pdf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "X-Amz-Expires=60") || !strings.Contains(url, "response-content-disposition=") {
		t.Errorf("presigned URL %s lacks the expiry or the download name", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "%PDF-1.4" {
		t.Fatalf("GET presigned: %d %q", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" && !strings.Contains(cd, "Factura marzo.pdf") {
		t.Errorf("Content-Disposition %q, want the filename", cd)
	}
}

// MustCreateBucket creates a bucket for tb, emptied and removed with it.
func MustCreateBucket(tb testing.TB, client *awss3.Client) string {
	tb.Helper()
	name := awstest.Unique("wagate-test")
	if _, err := client.CreateBucket(awstest.Context(tb), &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		tb.Fatalf("create bucket: %v", err)
	}
	tb.Cleanup(func() {
		ctx := awstest.Context(tb)
		list, err := client.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String(name)})
		if err == nil {
			for _, o := range list.Contents {
				_, _ = client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(name), Key: o.Key})
			}
		}
		_, _ = client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(name)})
	})
	return name
}
